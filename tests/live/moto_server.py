"""Starts moto's server for drguard's live tests.

Usage: python moto_server.py [PORT]   (default: a free port)

Prints "PORT <n>" once the socket listens, then serves until its stdin
closes (the test process exiting closes it), so no server outlives the tests.

Two gaps of moto 5.2.5 are bridged here, in the test harness and not in
drguard, because real AWS is right:

1. moto's S3 serializer names the XML root of GetBucketVersioning,
   GetBucketAccelerateConfiguration and GetBucketNotificationConfiguration
   after the operation (`<GetBucketVersioningResponse>`) instead of the
   modelled `<VersioningConfiguration>` etc. boto3 ignores the root; the AWS
   SDK for Rust rejects it with an XmlDecodeError. The patch renames those roots.
2. The AWS SDK for Rust speaks Smithy RPC v2 CBOR to CloudWatch (AWS moved
   CloudWatch to it in 2025); moto speaks only the older Query and JSON
   protocols (getmoto/moto#9195) and answers 404. `CborToJson` translates:
   it decodes the CBOR request into moto's JSON protocol and encodes moto's
   JSON answer back into CBOR (timestamps as CBOR tag 1, as the protocol says).
"""

import datetime
import io
import json
import os
import struct
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


# --- a minimal CBOR codec (RFC 8949), enough for the CloudWatch shapes ---


def _cbor_head(major, value):
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


class Timestamp(float):
    """A number that encodes as an epoch timestamp (CBOR tag 1)."""


def cbor_encode(value):
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, Timestamp):
        return b"\xc1" + b"\xfb" + struct.pack(">d", float(value))
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode()
        return _cbor_head(3, len(data)) + data
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, (list, tuple)):
        return _cbor_head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b"".join(
            cbor_encode(k) + cbor_encode(v) for k, v in value.items()
        )
    raise TypeError(f"cannot encode {type(value)} as CBOR")


def cbor_decode(data):
    value, _ = _decode(data, 0)
    return value


def _decode(data, i):
    initial = data[i]
    major, info = initial >> 5, initial & 0x1F
    i += 1
    if major == 7:
        if info == 20:
            return False, i
        if info == 21:
            return True, i
        if info in (22, 23):
            return None, i
        if info == 25:
            return struct.unpack(">e", data[i : i + 2])[0], i + 2
        if info == 26:
            return struct.unpack(">f", data[i : i + 4])[0], i + 4
        if info == 27:
            return struct.unpack(">d", data[i : i + 8])[0], i + 8
        raise ValueError(f"unsupported CBOR simple value {info}")
    if info == 31:  # indefinite length
        items = []
        while data[i] != 0xFF:
            item, i = _decode(data, i)
            items.append(item)
        i += 1
        if major == 2:
            return b"".join(items), i
        if major == 3:
            return "".join(items), i
        if major == 4:
            return items, i
        if major == 5:
            return dict(zip(items[::2], items[1::2])), i
        raise ValueError("bad indefinite-length item")
    if info < 24:
        length = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        length = int.from_bytes(data[i : i + size], "big")
        i += size
    if major == 0:
        return length, i
    if major == 1:
        return -1 - length, i
    if major == 2:
        return bytes(data[i : i + length]), i + length
    if major == 3:
        return data[i : i + length].decode(), i + length
    if major == 4:
        items = []
        for _ in range(length):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        result = {}
        for _ in range(length):
            key, i = _decode(data, i)
            result[key], i = _decode(data, i)
        return result, i
    if major == 6:  # tags: 1 = epoch timestamp; the JSON protocol takes the number
        return _decode(data, i)
    raise ValueError(f"unsupported CBOR major type {major}")


TIMESTAMP_KEYS = {
    "Timestamps",
    "Timestamp",
    "StateUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "AlarmConfigurationUpdatedTimestamp",
    "LastModified",
}


def _tag_timestamps(value, key=None):
    if isinstance(value, dict):
        return {k: _tag_timestamps(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag_timestamps(v, key) for v in value]
    if key in TIMESTAMP_KEYS and value is not None:
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        return Timestamp(value)
    return value


class CborToJson:
    """Serves Smithy RPC v2 CBOR requests through moto's JSON protocol."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("HTTP_SMITHY_PROTOCOL") != "rpc-v2-cbor" or not path.startswith(
            "/service/"
        ):
            return self.app(environ, start_response)
        parts = path.split("/")
        service, operation = parts[2], parts[4]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        request = cbor_decode(body) if body else {}
        payload = json.dumps(request).encode()
        environ = dict(environ)
        environ.update(
            {
                "PATH_INFO": "/",
                "CONTENT_TYPE": "application/x-amz-json-1.0",
                "HTTP_X_AMZ_TARGET": f"{service}.{operation}",
                "CONTENT_LENGTH": str(len(payload)),
                "wsgi.input": io.BytesIO(payload),
            }
        )
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = status
            return lambda _: None

        answer = b"".join(self.app(environ, capture))
        result = json.loads(answer) if answer.strip() else {}
        encoded = cbor_encode(_tag_timestamps(result))
        start_response(
            captured.get("status", "500 Internal Server Error"),
            [
                ("Content-Type", "application/cbor"),
                ("smithy-protocol", "rpc-v2-cbor"),
                ("Content-Length", str(len(encoded))),
            ],
        )
        return [encoded]


def _exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    app = CborToJson(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
