"""moto server for the S3A trace oracle, with authentication enforced from the first request.

    INITIAL_NO_AUTH_ACTION_COUNT=0 python moto_server.py --port PORT --bootstrap FILE

Binds 127.0.0.1 only. Before serving it creates one IAM user, `oracle-admin`, with an allow-all inline policy,
in moto's own IAM backend (with authentication on from request 0 there is no other way in), and writes that
user's key pair as JSON to FILE (mode 0600). setup_moto.py then makes every other user, key, role, bucket and
object through the ordinary IAM/STS/S3 APIs, signed with that key.

The signature fix. moto 5.2 recomputes the SigV4 signature of each request with botocore and compares it with
the one sent. Two things in that recomputation reject requests that AWS accepts, for AWS SDK for Java v1:
  1. the canonical request is built from the percent-DECODED URL moto dispatched on (`?prefix=a%2Fb` becomes
     `?prefix=a/b`), where SigV4 signs the query string as sent;
  2. botocore's `headers_to_sign` leaves out `User-Agent` (and `Expect`, `X-Amzn-Trace-Id`) even when the
     client listed it in SignedHeaders; SDK v1 signs `User-Agent`.
Both are patched below: the URL comes from the raw request line (werkzeug's RAW_URI) and the headers are exactly
the ones the client named in SignedHeaders. The secret, the string to sign and the comparison are untouched, so a
wrong secret, an unknown key id or a wrong session token still fail as before (SignatureDoesNotMatch,
InvalidAccessKeyId, InvalidToken), and so do policy denials (AccessDenied).
"""

import argparse
import json
import os
import sys


def patch_signature_check() -> None:
    import flask
    from botocore.awsrequest import HTTPHeaders
    from moto.iam import access_control

    base = access_control.IAMRequestBase
    original_create_aws_request = base._create_aws_request

    def create_aws_request_from_raw_uri(self):  # type: ignore[no-untyped-def]
        request = original_create_aws_request(self)
        if flask.has_request_context():
            raw_uri = flask.request.environ.get("RAW_URI") or flask.request.environ.get("REQUEST_URI")
            if raw_uri:
                # the request line as received: path and query still percent-encoded
                request.url = raw_uri
        return request

    def headers_named_in_signed_headers(auth, request):  # type: ignore[no-untyped-def]
        # _create_aws_request already kept only the headers named in SignedHeaders: sign all of them
        header_map = HTTPHeaders()
        for name, value in request.headers.items():
            header_map[name.lower()] = value
        return header_map

    def wrap_create_auth(cls):  # type: ignore[no-untyped-def]
        original_create_auth = cls._create_auth

        def create_auth(self, credentials):  # type: ignore[no-untyped-def]
            auth = original_create_auth(self, credentials)
            auth.headers_to_sign = headers_named_in_signed_headers.__get__(auth)
            return auth

        cls._create_auth = create_auth

    base._create_aws_request = create_aws_request_from_raw_uri
    wrap_create_auth(access_control.S3IAMRequest)
    wrap_create_auth(access_control.IAMRequest)


def bootstrap_admin(path: str) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import iam_backends

    iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    iam.create_user(region_name="us-east-1", user_name="oracle-admin")
    iam.put_user_policy(
        "oracle-admin",
        "allow-all",
        json.dumps({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    )
    key = iam.create_access_key("oracle-admin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"access_key": key.access_key_id, "secret_key": key.secret_access_key}, out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bootstrap", required=True, help="where to write the admin key (JSON)")
    parser.add_argument("--no-signature-fix", action="store_true",
                        help="serve moto's check unpatched (to show what it rejects)")
    args = parser.parse_args()

    if os.environ.get("INITIAL_NO_AUTH_ACTION_COUNT") != "0":
        sys.exit("moto_server.py: start me with INITIAL_NO_AUTH_ACTION_COUNT=0 (authentication enforced)")

    from moto import settings
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    assert settings.INITIAL_NO_AUTH_ACTION_COUNT == 0
    if not args.no_signature_fix:
        patch_signature_check()
    bootstrap_admin(args.bootstrap)

    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    main()
