#!/usr/bin/env python3
"""What an attacker or another signer does to a registry, for the tests of `dct migrate`:

  sigtamper.py foreign-cosign   --registry URL --ca FILE --repo PATH --ref TAG --keyout PUB.pem
      a cosign signature by a fresh key (a second signer), as the only layer of a new .sig
  sigtamper.py foreign-referrer --registry URL --ca FILE --repo PATH --ref TAG
      a non-Notation referrer (an SBOM-like artifact) in the referrers tag index
  sigtamper.py tamper-cosign    --registry URL --ca FILE --repo PATH --ref TAG
      every payload of the .sig altered (docker-reference), the signatures left as they were
  sigtamper.py graft-notation   --registry URL --ca FILE --repo PATH --ref TAG --from TAG2
      TAG2's Notation signature entries copied into TAG's referrers index
"""

import argparse
import base64
import hashlib
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigverify import OCI_INDEX, OCI_MANIFEST, Registry  # noqa: E402

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def send(reg, method, url, body=b"", ctype=None):
    req = urllib.request.Request(url, data=body, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    with urllib.request.urlopen(req, context=reg.ctx, timeout=30) as r:
        return r.status, r.headers


def push_blob(reg, data):
    _, h = send(reg, "POST", reg.url + "/v2/" + reg.repo + "/blobs/uploads/")
    loc = h["Location"]
    if loc.startswith("/"):
        loc = reg.url + loc
    loc += ("&" if "?" in loc else "?") + "digest=" + sha(data)
    send(reg, "PUT", loc, data, "application/octet-stream")
    return sha(data)


def put_manifest(reg, ref, data, ctype):
    send(reg, "PUT", reg.url + "/v2/" + reg.repo + "/manifests/" + ref, data, ctype)


def sig_manifest(reg, layers):
    config = json.dumps({"architecture": "", "created": "0001-01-01T00:00:00Z",
                         "history": [{"created": "0001-01-01T00:00:00Z"} for _ in layers],
                         "os": "", "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]},
                         "config": {}}, separators=(",", ":")).encode()
    push_blob(reg, config)
    return json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "size": len(config), "digest": sha(config)},
                       "layers": layers}, separators=(",", ":")).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("--registry", required=True)
    ap.add_argument("--ca")
    ap.add_argument("--repo", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--keyout")
    ap.add_argument("--from", dest="source")
    a = ap.parse_args()
    reg = Registry(a.registry, a.ca, a.repo)
    digest = reg.resolve(a.ref)["digest"]
    sig_tag = digest.replace(":", "-") + ".sig"
    if a.cmd == "foreign-cosign":
        key = ec.generate_private_key(ec.SECP256R1())
        payload = json.dumps({"critical": {"identity": {"docker-reference": "elsewhere/app"},
                                           "image": {"docker-manifest-digest": digest},
                                           "type": "cosign container image signature"},
                              "optional": {"signer": "someone else"}}, separators=(",", ":")).encode()
        sig = base64.b64encode(key.sign(payload, ec.ECDSA(hashes.SHA256()))).decode()
        layer = {"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "size": len(payload),
                 "digest": push_blob(reg, payload),
                 "annotations": {"dev.cosignproject.cosign/signature": sig}}
        put_manifest(reg, sig_tag, sig_manifest(reg, [layer]), OCI_MANIFEST)
        with open(a.keyout, "wb") as f:
            f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    elif a.cmd == "foreign-referrer":
        desc = reg.resolve(a.ref)
        push_blob(reg, b"{}")
        sbom = push_blob(reg, b'{"sbom":"example"}')
        m = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": "application/vnd.example.sbom",
                        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha(b"{}"), "size": 2},
                        "layers": [{"mediaType": "application/json", "digest": sbom, "size": 18}],
                        "subject": {"mediaType": desc["mediaType"], "digest": digest, "size": desc["size"]}},
                       separators=(",", ":")).encode()
        put_manifest(reg, sha(m), m, OCI_MANIFEST)
        index = {"schemaVersion": 2, "mediaType": OCI_INDEX,
                 "manifests": [{"mediaType": OCI_MANIFEST, "digest": sha(m), "size": len(m),
                                "artifactType": "application/vnd.example.sbom"}]}
        put_manifest(reg, digest.replace(":", "-"), json.dumps(index).encode(), OCI_INDEX)
    elif a.cmd == "tamper-cosign":
        body, _ = reg.manifest(sig_tag, OCI_MANIFEST)
        layers = json.loads(body)["layers"]
        for l in layers:
            p = json.loads(reg.blob(l["digest"], 1 << 20))
            p["critical"]["identity"]["docker-reference"] = "attacker/app:v1"
            data = json.dumps(p, separators=(",", ":")).encode()
            l["digest"], l["size"] = push_blob(reg, data), len(data)
        put_manifest(reg, sig_tag, sig_manifest(reg, layers), OCI_MANIFEST)
    elif a.cmd == "graft-notation":
        src = reg.resolve(a.source)["digest"]
        body, _ = reg.manifest(src.replace(":", "-"), OCI_INDEX)
        entries = [e for e in json.loads(body)["manifests"]
                   if e.get("artifactType") == "application/vnd.cncf.notary.signature"]
        mine, _ = reg.manifest(digest.replace(":", "-"), OCI_INDEX)
        index = json.loads(mine) if mine else {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
        index["manifests"] += entries
        put_manifest(reg, digest.replace(":", "-"), json.dumps(index).encode(), OCI_INDEX)
    else:
        sys.exit("unknown command " + a.cmd)


if __name__ == "__main__":
    main()
