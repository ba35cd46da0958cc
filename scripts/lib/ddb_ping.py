#!/usr/bin/env python3
"""Sends one DynamoDB ListTables request and reports whether a DynamoDB API answered.

Used by the start scripts to know an emulator is ready, and by people to check one by hand:

    scripts/lib/ddb_ping.py http://127.0.0.1:8000
    scripts/lib/ddb_ping.py --ca build/test-emulators/tls/ca.pem https://127.0.0.1:4567

The request carries a syntactically valid (but unsigned) SigV4 Authorization header and an
X-Amz-Date: dynalite refuses requests without them, DynamoDB Local checks no signature.
Proxies from the environment are ignored: this only ever talks to the URL it is given.
Exit status: 0 when the answer is HTTP 200 with a TableNames list, 1 otherwise.
"""
import argparse
import datetime
import json
import ssl
import sys
import urllib.error
import urllib.request


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--ca", help="CA file to verify an https endpoint with")
    parser.add_argument("--no-check-hostname", action="store_true",
                        help="verify the chain but not that the certificate names the host")
    parser.add_argument("--insecure", action="store_true", help="verify nothing (readiness only)")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args()

    now = datetime.datetime.now(datetime.timezone.utc)
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810.ListTables",
        "X-Amz-Date": now.strftime("%Y%m%dT%H%M%SZ"),
        "Authorization": "AWS4-HMAC-SHA256 Credential=test/" + now.strftime("%Y%m%d")
                         + "/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
    }
    context = ssl.create_default_context(cafile=args.ca)
    if args.no_check_hostname or args.insecure:
        context.check_hostname = False
    if args.insecure:
        context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(args.url, data=b"{}", headers=headers, method="POST")
    try:
        with opener.open(request, timeout=args.timeout) as response:
            body = response.read()
        tables = json.loads(body)["TableNames"]
    except urllib.error.HTTPError as e:
        error = f"HTTP {e.code}: {e.read()[:300]!r}"
    except (OSError, ValueError, KeyError) as e:  # URLError, ssl.SSLError, timeouts, bad JSON
        error = f"{type(e).__name__}: {e}"
    else:
        if not args.quiet:
            print(f"{args.url}: ListTables OK, {len(tables)} table(s)")
        return 0
    if not args.quiet:
        print(f"{args.url}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
