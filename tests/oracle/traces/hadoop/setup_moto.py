"""Creates the identities, bucket and objects of the S3A trace scenarios in a running moto_server.py.

    python setup_moto.py --endpoint http://127.0.0.1:PORT --bootstrap ADMIN.json --out CREDS.json

Everything goes through moto's IAM, STS and S3 APIs (boto3), signed with the bootstrap admin key. Then each key is
checked: what it may do must succeed and what it may not must fail with the expected error code, so that a trace
recorded later shows the scenario's failure and not a broken server. Writes the keys (moto's, fake) to CREDS.json.
"""

import argparse
import json
import os

import boto3
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"  # moto's default account
BUCKET = "oracle-data"
REGION = "us-east-1"


def allow_s3_except(denied: list[str]) -> str:
    statements = [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
    if denied:
        statements.append({"Effect": "Deny", "Action": denied, "Resource": "*"})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def client(service: str, endpoint: str, key: dict) -> "boto3.client":
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key["access_key"],
        aws_secret_access_key=key["secret_key"],
        aws_session_token=key.get("session_token"),
    )


def expect_error(code: str, call, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    try:
        call(*args, **kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        if got != code:
            raise SystemExit(f"setup_moto: expected {code}, got {got}: {e}")
        return
    raise SystemExit(f"setup_moto: expected {code}, the call succeeded")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.bootstrap) as f:
        admin = json.load(f)

    iam = client("iam", args.endpoint, admin)
    keys: dict[str, dict] = {}
    for user, denied in [
        ("oracle-full", []),
        ("oracle-noread", ["s3:GetObject", "s3:ListBucket"]),
        ("oracle-nowrite", ["s3:PutObject"]),
    ]:
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="s3", PolicyDocument=allow_s3_except(denied))
        created = iam.create_access_key(UserName=user)["AccessKey"]
        keys[user] = {"access_key": created["AccessKeyId"], "secret_key": created["SecretAccessKey"]}

    # a role the full user may assume: its temporary credentials carry a session token
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/oracle-full"}}]}
    iam.create_role(RoleName="oracle-role", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_user_policy(UserName="oracle-full", PolicyName="assume-role", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole",
            "Resource": f"arn:aws:iam::{ACCOUNT}:role/oracle-role"}]}))
    iam.put_role_policy(RoleName="oracle-role", PolicyName="s3", PolicyDocument=allow_s3_except([]))
    sts = client("sts", args.endpoint, keys["oracle-full"])
    temp = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/oracle-role",
                           RoleSessionName="trace-oracle", DurationSeconds=3600)["Credentials"]
    keys["oracle-role-session"] = {"access_key": temp["AccessKeyId"], "secret_key": temp["SecretAccessKey"],
                                   "session_token": temp["SessionToken"]}

    s3 = client("s3", args.endpoint, keys["oracle-full"])
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="data/part-0000.csv", Body=b"id,amount\n1,10\n2,20\n")
    s3.put_object(Bucket=BUCKET, Key="data/part-0001.csv", Body=b"id,amount\n3,30\n")
    s3.put_object(Bucket=BUCKET, Key="data/_record_count", Body=b"12,345\n")
    # large enough that a stream holds its pooled HTTP connection after the first byte
    s3.put_object(Bucket=BUCKET, Key="data/big.bin", Body=os.urandom(4 * 1024 * 1024))

    # each identity does what it may, and is refused what it may not
    prefix = {"Bucket": BUCKET, "Prefix": "data/", "Delimiter": "/"}
    obj = {"Bucket": BUCKET, "Key": "data/part-0000.csv"}
    client("s3", args.endpoint, keys["oracle-full"]).get_object(**obj)
    client("s3", args.endpoint, keys["oracle-role-session"]).list_objects_v2(**prefix)
    noread = client("s3", args.endpoint, keys["oracle-noread"])
    noread.put_object(Bucket=BUCKET, Key="tmp/noread-check", Body=b"x")
    expect_error("AccessDenied", noread.list_objects_v2, **prefix)
    expect_error("AccessDenied", noread.get_object, **obj)
    nowrite = client("s3", args.endpoint, keys["oracle-nowrite"])
    nowrite.get_object(**obj)
    nowrite.list_objects_v2(**prefix)
    expect_error("AccessDenied", nowrite.put_object, Bucket=BUCKET, Key="tmp/nowrite-check", Body=b"x")
    s3.delete_object(Bucket=BUCKET, Key="tmp/noread-check")
    wrong_secret = dict(keys["oracle-full"], secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    expect_error("SignatureDoesNotMatch", client("s3", args.endpoint, wrong_secret).list_objects_v2, **prefix)
    unknown_id = dict(keys["oracle-full"], access_key="AKIAIOSFODNN7EXAMPLE")
    expect_error("InvalidAccessKeyId", client("s3", args.endpoint, unknown_id).list_objects_v2, **prefix)
    wrong_token = dict(keys["oracle-role-session"], session_token="FwoGZXIvYXdzEXAMPLETOKEN")
    expect_error("InvalidToken", client("s3", args.endpoint, wrong_token).list_objects_v2, **prefix)

    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(keys, out, indent=1)
    print("setup_moto: identities, bucket and objects ready; every key checked")


if __name__ == "__main__":
    main()
