# boto3 twin of tests/live/seed.rs::seed_copies (the fallback of docs/performance.md):
# python seed_copies.py FIRST LAST adds copies svcFIRST..svcLAST to a moto seeded with seed::seed.
import sys, boto3
import os
EP = os.environ.get("MOTO", "http://127.0.0.1:5999")
start, end = int(sys.argv[1]), int(sys.argv[2])
kw = dict(endpoint_url=EP, aws_access_key_id="testing", aws_secret_access_key="testing")
c = lambda svc, region: boto3.client(svc, region_name=region, **kw)
ec2e, ec2w = c("ec2", "us-east-1"), c("ec2", "us-west-2")
asge, asgw = c("autoscaling", "us-east-1"), c("autoscaling", "us-west-2")
elbe, elbw = c("elbv2", "us-east-1"), c("elbv2", "us-west-2")
rdse, rdsw = c("rds", "us-east-1"), c("rds", "us-west-2")
ece, ecw = c("elasticache", "us-east-1"), c("elasticache", "us-west-2")
s3e, s3w = c("s3", "us-east-1"), c("s3", "us-west-2")
ssm, events, r53 = c("ssm", "us-west-2"), c("events", "us-east-1"), c("route53", "us-east-1")
tg_e = elbe.describe_target_groups(Names=["shop-web-use1"])["TargetGroups"][0]["TargetGroupArn"]
tg_w = elbw.describe_target_groups(Names=["shop-web-usw2"])["TargetGroups"][0]["TargetGroupArn"]
zone = [z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == "yourstore.com."][0]["Id"].split("/")[-1]
app_tag = [{"Key": "App", "Value": "shop"}]
changes = []
for k in range(start, end + 1):
    app = f"svc{k:03}"
    img = ec2e.register_image(Name=f"{app}-golden", Description="shop golden image build 1", RootDeviceName="/dev/xvda")["ImageId"]
    ec2e.create_tags(Resources=[img], Tags=app_tag + [{"Key": "Build", "Value": "1"}])
    cp = ec2w.copy_image(SourceImageId=img, SourceRegion="us-east-1", Name=f"{app}-golden", Description=f"Copied from SourceAmi {img} from SourceRegion us-east-1")["ImageId"]
    ec2w.create_tags(Resources=[cp], Tags=app_tag)
    for ec2, asg, name, image, azs, tg, version in [
        (ec2e, asge, f"{app}-use1", img, ["us-east-1a", "us-east-1b", "us-east-1c"], tg_e, "$Latest"),
        (ec2w, asgw, f"{app}-usw2", cp, ["us-west-2a", "us-west-2b"], tg_w, "$Default")]:
        lt = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData={"ImageId": image, "InstanceType": "m7i.large"})["LaunchTemplate"]["LaunchTemplateId"]
        asg.create_auto_scaling_group(AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateId": lt, "Version": version},
            MinSize=0, MaxSize=30, DesiredCapacity=0, AvailabilityZones=azs, TargetGroupARNs=[tg], HealthCheckType="ELB",
            HealthCheckGracePeriod=300, DefaultInstanceWarmup=120,
            Tags=[{"Key": "App", "Value": "shop", "ResourceId": name, "ResourceType": "auto-scaling-group", "PropagateAtLaunch": True}])
    g = f"{app}-global"
    rdse.create_global_cluster(GlobalClusterIdentifier=g, Engine="aurora-postgresql", EngineVersion="15.4")
    rdse.create_db_cluster(DBClusterIdentifier=f"{app}-aurora-use1", Engine="aurora-postgresql", EngineVersion="15.4", MasterUsername="shop", MasterUserPassword="not-a-secret-1", GlobalClusterIdentifier=g, Tags=app_tag)
    rdsw.create_db_cluster(DBClusterIdentifier=f"{app}-aurora-usw2", Engine="aurora-postgresql", EngineVersion="15.4", GlobalClusterIdentifier=g, Tags=app_tag)
    for ec, rid in [(ece, f"{app}-cache-use1"), (ecw, f"{app}-cache-usw2")]:
        ec.create_replication_group(ReplicationGroupId=rid, ReplicationGroupDescription="shop cache", Engine="redis", EngineVersion="7.1",
            CacheNodeType="cache.r7g.large", NumCacheClusters=2, AutomaticFailoverEnabled=True, MultiAZEnabled=True, Tags=app_tag)
    src, dst = f"{app}-assets-use1", f"{app}-assets-usw2"
    s3e.create_bucket(Bucket=src)
    s3w.create_bucket(Bucket=dst, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    for s3, b in [(s3e, src), (s3w, dst)]:
        s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": app_tag})
    s3e.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": "arn:aws:iam::123456789012:role/shop-s3-crr", "Rules": [{
        "ID": "crr-to-dr", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""}, "DeleteMarkerReplication": {"Status": "Enabled"},
        "Destination": {"Bucket": f"arn:aws:s3:::{dst}", "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
                        "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}}}]})
    ssm.create_document(Name=f"{app}-dr-failover", DocumentType="Automation", DocumentFormat="JSON",
        Content='{"schemaVersion":"0.3","mainSteps":[{"name":"Wait","action":"aws:sleep","inputs":{"Duration":"PT1S"}}]}', Tags=app_tag)
    events.put_rule(Name=f"{app}-ami-copy-to-dr", EventPattern='{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}', State="ENABLED")
    events.put_targets(Rule=f"{app}-ami-copy-to-dr", Targets=[{"Id": "copy-ami", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:shop-copy-ami-to-dr"}])
    checks = []
    for side, fq in [("primary", "use1"), ("dr", "usw2")]:
        checks.append(r53.create_health_check(CallerReference=f"{app}-{side}", HealthCheckConfig={"Type": "HTTPS", "FullyQualifiedDomainName": f"{app}-{fq}.yourstore.com",
            "Port": 443, "ResourcePath": "/health", "RequestInterval": 10, "FailureThreshold": 3})["HealthCheck"]["Id"])
    name = f"{app}.yourstore.com"
    for (role, sid, val), chk in zip([("PRIMARY", "primary", "192.0.2.10"), ("SECONDARY", "secondary", "198.51.100.10")], checks):
        changes.append({"Action": "CREATE", "ResourceRecordSet": {"Name": name, "Type": "A", "SetIdentifier": sid, "Failover": role, "TTL": 60, "HealthCheckId": chk, "ResourceRecords": [{"Value": val}]}})
    changes.append({"Action": "CREATE", "ResourceRecordSet": {"Name": f"www-{app}.yourstore.com", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": name}]}})
for i in range(0, len(changes), 500):
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes[i:i + 500]})
print("seeded", start, "to", end)
