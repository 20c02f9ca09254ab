"""Starts moto's server for drguard's live tests.

Usage: python moto_server.py [PORT]   (default: a free port)

Prints "PORT <n>" once the socket listens, then serves until its stdin
closes (the test process exiting closes it), so no server outlives the tests.

One correction is applied to moto 5.2.5 here, in the test harness and not in
drguard, because real S3 is right: moto's S3 serializer names the XML root of
GetBucketVersioning, GetBucketAccelerateConfiguration and
GetBucketNotificationConfiguration after the operation
(`<GetBucketVersioningResponse>`) instead of the modelled
`<VersioningConfiguration>` etc. boto3 ignores the root; the AWS SDK for Rust
rejects it with an XmlDecodeError. The patch renames those roots.
"""

import os
import sys
import threading

from moto.core import serialize
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    create_backend_app,
)
from werkzeug.serving import make_server

S3_ROOTS = {
    "GetBucketVersioning": "VersioningConfiguration",
    "GetBucketAccelerateConfiguration": "AccelerateConfiguration",
    "GetBucketNotificationConfiguration": "NotificationConfiguration",
}

_original = serialize.S3Serializer._serialized_result_to_response


def _renamed_root(self, resp, result, shape, serialized_result):
    resp = _original(self, resp, result, shape, serialized_result)
    root = S3_ROOTS.get(self.operation_model.name)
    body = resp.get("body")
    if root and isinstance(body, str):
        wrong = f"{self.operation_model.name}Response"
        resp["body"] = body.replace(f"<{wrong}", f"<{root}", 1).replace(
            f"</{wrong}>", f"</{root}>", 1
        )
    return resp


serialize.S3Serializer._serialized_result_to_response = _renamed_root


def _exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
