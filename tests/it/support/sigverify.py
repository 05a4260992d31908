#!/usr/bin/env python3
"""Independent verifiers for the tests of `dct migrate`, written from the specifications and the
real verifiers' rules (docs/migration.md §3.4 and §4.6), not from dct's code: Python's urllib for
the registry API and `cryptography` for every signature and certificate check.

  sigverify.py cosign   --registry URL --ca FILE --repo PATH --ref TAG|DIGEST --key PUB.pem
                        [-a KEY=VALUE]... [--identity REGISTRY/REPO:TAG]
  sigverify.py notation --registry URL --ca FILE --repo PATH --ref TAG|DIGEST --scope REG/REPO
                        --policy trustpolicy.json --store CERT.pem... [--user-metadata K=V]...

Exit 0 and `verified: …` when a signature verifies, else exit 1 and `rejected: <reason>`.
`cosign` is `cosign verify --key PUB --insecure-ignore-tlog=true` (plus containers/image's strict
payload parse and identity match when --identity is given); `notation` is `notation verify` at
the policy's level (strict), without plugins or a timestamping authority. When the jwcrypto
package is installed, the JWS is also checked with it (a second, unrelated JOSE implementation).
"""

import argparse
import base64
import binascii
import datetime
import hashlib
import json
import ssl
import sys
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MANIFEST_TYPES = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
]
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
NOTARY_SIG = "application/vnd.cncf.notary.signature"
NOTARY_PAYLOAD = "application/vnd.cncf.notary.payload.v1+json"


class Rejected(Exception):
    pass


class Registry:
    def __init__(self, url, ca, repo):
        self.url = url.rstrip("/")
        self.repo = repo
        self.ctx = ssl.create_default_context(cafile=ca) if ca else None

    def request(self, method, path, accept=None):
        req = urllib.request.Request(self.url + "/v2/" + self.repo + "/" + path, method=method)
        if accept:
            req.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=30) as r:
                return r.status, dict((k.lower(), v) for k, v in r.headers.items()), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict((k.lower(), v) for k, v in e.headers.items()), e.read()

    def resolve(self, ref):
        """HEAD of the manifest with every type in Accept: {mediaType, digest, size}."""
        status, h, _ = self.request("HEAD", "manifests/" + ref, ", ".join(MANIFEST_TYPES))
        if status != 200:
            raise Rejected("cannot resolve %s: HTTP %d" % (ref, status))
        d = {"mediaType": h.get("content-type", "").split(";")[0].strip(),
             "digest": h.get("docker-content-digest"),
             "size": int(h.get("content-length", "-1"))}
        if ref.startswith("sha256:") and d["digest"] != ref:
            raise Rejected("the registry resolved %s to %s" % (ref, d["digest"]))
        return d

    def manifest(self, ref, accept):
        status, h, body = self.request("GET", "manifests/" + ref, accept)
        if status == 404:
            return None, None
        if status != 200:
            raise Rejected("GET manifest %s: HTTP %d" % (ref, status))
        if ref.startswith("sha256:") and "sha256:" + hashlib.sha256(body).hexdigest() != ref:
            raise Rejected("manifest %s does not hash to its digest" % ref)
        return body, h.get("content-type", "").split(";")[0].strip()

    def blob(self, digest, limit):
        status, _, body = self.request("GET", "blobs/" + digest)
        if status != 200:
            raise Rejected("GET blob %s: HTTP %d" % (digest, status))
        if len(body) > limit:
            raise Rejected("blob %s is larger than %d bytes" % (digest, limit))
        if "sha256:" + hashlib.sha256(body).hexdigest() != digest:
            raise Rejected("blob %s does not hash to its digest" % digest)
        return body


def exact(obj, what, fields):
    """containers/image's ParanoidUnmarshalJSONObjectExactFields."""
    if not isinstance(obj, dict):
        raise Rejected("%s is not an object" % what)
    if sorted(obj) != sorted(fields):
        raise Rejected("%s has fields %s, not exactly %s" % (what, sorted(obj), sorted(fields)))
    return obj


def ecdsa_verify(pub, sig, data):
    """sigstore's ECDSA verifier: ASN.1 DER, else r||s split in half; SHA-256."""
    try:
        pub.verify(sig, data, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        pass
    n = len(sig) // 2
    if len(sig) % 2 == 0 and n:
        der = encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big"))
        try:
            pub.verify(der, data, ec.ECDSA(hashes.SHA256()))
            return True
        except InvalidSignature:
            pass
    return False


def cosign(args):
    reg = Registry(args.registry, args.ca, args.repo)
    desc = reg.resolve(args.ref)
    digest = desc["digest"]
    with open(args.key, "rb") as f:
        pub = serialization.load_pem_public_key(f.read())
    tag = digest.replace(":", "-") + ".sig"
    body, ctype = reg.manifest(tag, OCI_MANIFEST)
    if body is None:
        raise Rejected("no signatures found (no %s)" % tag)
    if ctype != OCI_MANIFEST:
        raise Rejected("%s is served as %s, not an OCI manifest" % (tag, ctype))
    layers = json.loads(body).get("layers") or []
    wanted = dict(a.split("=", 1) for a in args.a)
    reasons = []
    for i, layer in enumerate(layers[:1000]):
        try:
            if layer.get("mediaType") != SIMPLE_SIGNING:
                raise Rejected("not a simple-signing layer")
            sig_b64 = (layer.get("annotations") or {}).get("dev.cosignproject.cosign/signature")
            if sig_b64 is None:
                raise Rejected("no signature annotation")
            payload = reg.blob(layer["digest"], 128 * 1024)
            if not ecdsa_verify(pub, base64.b64decode(sig_b64, validate=True), payload):
                raise Rejected("signature does not verify with the key")
            p = json.loads(payload)
            exact(p, "payload", ["critical", "optional"])
            crit = exact(p["critical"], "critical", ["type", "image", "identity"])
            if crit["type"] != "cosign container image signature":
                raise Rejected("critical.type is %r" % crit["type"])
            image = exact(crit["image"], "critical.image", ["docker-manifest-digest"])
            if image["docker-manifest-digest"] != digest:
                raise Rejected("payload signs %s, not %s" % (image["docker-manifest-digest"], digest))
            ident = exact(crit["identity"], "critical.identity", ["docker-reference"])
            if args.identity is not None and ident["docker-reference"] != args.identity:
                raise Rejected("docker-reference %r is not %r" % (ident["docker-reference"], args.identity))
            opt = p["optional"] or {}
            if not isinstance(opt, dict):
                raise Rejected("optional is not an object")
            for k, v in wanted.items():
                if opt.get(k) != v:
                    raise Rejected("annotation %s is %r, not %r" % (k, opt.get(k), v))
            print("verified: cosign layer %d of %d signs %s as %s" % (i, len(layers), digest, ident["docker-reference"]))
            return
        except Rejected as e:
            reasons.append("layer %d: %s" % (i, e))
        except (ValueError, KeyError, TypeError, binascii.Error) as e:
            reasons.append("layer %d: malformed: %s" % (i, e))
    raise Rejected("no layer of %d verifies: %s" % (len(layers), "; ".join(reasons)))


def b64url(s, what):
    if not isinstance(s, str) or "=" in s:
        raise Rejected("%s is not unpadded base64url" % what)
    try:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except (binascii.Error, ValueError):
        raise Rejected("%s is not base64url" % what)


KNOWN_HEADERS = {"alg", "crit", "cty", "io.cncf.notary.signingScheme", "io.cncf.notary.signingTime",
                 "io.cncf.notary.expiry", "io.cncf.notary.authenticSigningTime",
                 "io.cncf.notary.verificationPlugin", "io.cncf.notary.verificationPluginMinVersion"}


def rfc3339(s, what):
    try:
        return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise Rejected("%s %r is not RFC 3339" % (what, s))


def check_leaf(cert):
    """notation-core-go validateCodeSigningLeafCertificate."""
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    except x509.ExtensionNotFound:
        raise Rejected("leaf has no keyUsage")
    if not ku.critical:
        raise Rejected("leaf keyUsage is not critical")
    k = ku.value
    others = [k.key_encipherment, k.data_encipherment, k.key_agreement, k.key_cert_sign, k.crl_sign]
    if k.key_agreement:
        others += [k.encipher_only, k.decipher_only]
    if not k.digital_signature or any(others):
        raise Rejected("keyUsage must be digitalSignature only")
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        if bc.ca:
            raise Rejected("leaf is a CA")
    except x509.ExtensionNotFound:
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        bad = {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH,
               ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.TIME_STAMPING,
               ExtendedKeyUsageOID.OCSP_SIGNING}
        if any(o in bad for o in eku):
            raise Rejected("leaf EKU is not for code signing")
    except x509.ExtensionNotFound:
        pass
    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.key_size < 256:
            raise Rejected("leaf EC key below 256 bits")
    elif isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise Rejected("leaf RSA key below 2048 bits")
    else:
        raise Rejected("leaf key type not allowed")


def not_before(c):
    """Validity start as an aware UTC time (cryptography >= 42 has it; Debian 12 ships 38)."""
    if hasattr(c, "not_valid_before_utc"):
        return c.not_valid_before_utc
    return c.not_valid_before.replace(tzinfo=datetime.timezone.utc)


def not_after(c):
    if hasattr(c, "not_valid_after_utc"):
        return c.not_valid_after_utc
    return c.not_valid_after.replace(tzinfo=datetime.timezone.utc)


def directly_issued_by(c, issuer):
    """Certificate.verify_directly_issued_by (cryptography >= 40), or the same checks by hand."""
    if hasattr(c, "verify_directly_issued_by"):
        return c.verify_directly_issued_by(issuer)
    if c.issuer.public_bytes() != issuer.subject.public_bytes():
        raise ValueError("issuer name does not match the issuer's subject")
    key = issuer.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(c.signature, c.tbs_certificate_bytes, ec.ECDSA(c.signature_hash_algorithm))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(c.signature, c.tbs_certificate_bytes, padding.PKCS1v15(), c.signature_hash_algorithm)
    else:
        raise TypeError("unsupported issuer key type")


def load_pem_certificates(data):
    """x509.load_pem_x509_certificates (cryptography >= 39), or one PEM block at a time."""
    if hasattr(x509, "load_pem_x509_certificates"):
        return x509.load_pem_x509_certificates(data)
    end = b"-----END CERTIFICATE-----"
    blocks = [b + end for b in data.split(end) if b"-----BEGIN CERTIFICATE-----" in b]
    if not blocks:
        raise ValueError("no certificate in PEM data")
    return [x509.load_pem_x509_certificate(b) for b in blocks]


def check_chain(chain, now):
    """ValidateCodeSigningCertChain plus 'every cert valid now' (no TSA)."""
    for i, c in enumerate(chain):
        if c.signature_hash_algorithm is not None and c.signature_hash_algorithm.name == "sha1":
            raise Rejected("certificate %d signed with SHA-1" % i)
        if not (not_before(c) <= now <= not_after(c)):
            raise Rejected("certificate %d is not valid now" % i)
    check_leaf(chain[0])
    for i, c in enumerate(chain):
        last = i == len(chain) - 1
        self_signed = c.issuer.public_bytes() == c.subject.public_bytes()
        if last and not self_signed:
            raise Rejected("chain does not end in a self-signed certificate")
        if not last and self_signed:
            raise Rejected("non-root certificate %d is self-signed" % i)
        issuer = c if last else chain[i + 1]
        try:
            directly_issued_by(c, issuer)
        except (ValueError, TypeError, InvalidSignature) as e:
            raise Rejected("certificate %d is not signed by its issuer: %s" % (i, e))
        if i > 0:
            try:
                bc = c.extensions.get_extension_for_class(x509.BasicConstraints)
                ku = c.extensions.get_extension_for_class(x509.KeyUsage)
            except x509.ExtensionNotFound:
                raise Rejected("CA certificate %d lacks basicConstraints or keyUsage" % i)
            if not (bc.critical and bc.value.ca):
                raise Rejected("certificate %d is not a CA" % i)
            if bc.value.path_length is not None and bc.value.path_length < i - 1:
                raise Rejected("certificate %d path length too short" % i)
            if not (ku.critical and ku.value.key_cert_sign):
                raise Rejected("certificate %d may not sign certificates" % i)


def parse_dn(dn):
    attrs = {}
    for part in dn.split(","):
        k, sep, v = part.partition("=")
        if not sep:
            raise Rejected("bad DN %r" % dn)
        attrs[k.strip().upper()] = v.strip()
    if "S" in attrs:
        attrs["ST"] = attrs.pop("S")
    for need in ("C", "ST", "O"):
        if need not in attrs:
            raise Rejected("trusted identity %r lacks %s" % (dn, need))
    return attrs


OIDS = {"C": NameOID.COUNTRY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME, "L": NameOID.LOCALITY_NAME,
        "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}


def jws_verify(env, now):
    """JWS integrity and the protected-header rules; returns (payload bytes, chain)."""
    for k in ("payload", "protected", "signature"):
        if not isinstance(env.get(k), str):
            raise Rejected("envelope lacks %s" % k)
    x5c = (env.get("header") or {}).get("x5c")
    if not x5c:
        raise Rejected("x5c is empty")
    chain = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
    protected = json.loads(b64url(env["protected"], "protected"))
    payload = b64url(env["payload"], "payload")
    sig = b64url(env["signature"], "signature")
    key = chain[0].public_key()
    alg = protected.get("alg")
    expected_alg = None
    if isinstance(key, ec.EllipticCurvePublicKey):
        expected_alg = {256: "ES256", 384: "ES384", 521: "ES512"}.get(key.curve.key_size)
    elif isinstance(key, rsa.RSAPublicKey):
        expected_alg = {2048: "PS256", 3072: "PS384", 4096: "PS512"}.get(key.key_size)
    if alg != expected_alg:
        raise Rejected("alg %r does not match the leaf key (%r)" % (alg, expected_alg))
    signing_input = (env["protected"] + "." + env["payload"]).encode("ascii")
    h = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384(), "ES512": hashes.SHA512(),
         "PS256": hashes.SHA256(), "PS384": hashes.SHA384(), "PS512": hashes.SHA512()}[alg]
    try:
        if alg.startswith("ES"):
            n = (key.curve.key_size + 7) // 8
            if len(sig) != 2 * n:
                raise Rejected("ES signature is not raw r||s of %d bytes" % (2 * n))
            der = encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big"))
            key.verify(der, signing_input, ec.ECDSA(h))
        else:
            key.verify(sig, signing_input, padding.PSS(padding.MGF1(h), h.digest_size), h)
    except InvalidSignature:
        raise Rejected("JWS signature does not verify with the leaf certificate")
    if protected.get("cty") != NOTARY_PAYLOAD:
        raise Rejected("cty is %r" % protected.get("cty"))
    scheme = protected.get("io.cncf.notary.signingScheme")
    if scheme != "notary.x509":
        raise Rejected("signing scheme %r (only notary.x509 here)" % scheme)
    if "io.cncf.notary.authenticSigningTime" in protected:
        raise Rejected("authenticSigningTime under notary.x509")
    st = protected.get("io.cncf.notary.signingTime")
    if not st or rfc3339(st, "signingTime").timestamp() <= 0:
        raise Rejected("signingTime missing or zero")
    crit = protected.get("crit")
    if not isinstance(crit, list) or not crit or "io.cncf.notary.signingScheme" not in crit:
        raise Rejected("crit must list io.cncf.notary.signingScheme")
    if "io.cncf.notary.expiry" in protected and "io.cncf.notary.expiry" not in crit:
        raise Rejected("expiry not marked critical")
    for c in crit:
        if c in ("io.cncf.notary.signingScheme", "io.cncf.notary.expiry"):
            if c not in protected:
                raise Rejected("%s marked critical but not present" % c)
            continue
        if c in KNOWN_HEADERS:
            raise Rejected("%s marked critical but not present (known headers cannot be)" % c)
        raise Rejected("critical header %s needs a verification plugin" % c)
    if "io.cncf.notary.expiry" in protected:
        if now >= rfc3339(protected["io.cncf.notary.expiry"], "expiry"):
            raise Rejected("signature expired")
    if not payload:
        raise Rejected("empty payload")
    try:
        import jwcrypto.jwk
        import jwcrypto.jws
        from jwcrypto.common import JWSEHeaderParameter
        # Notation's critical header is understood (checked above), as RFC 7515 §4.1.11 asks.
        known = {"io.cncf.notary.signingScheme": JWSEHeaderParameter("signing scheme", True, True, None)}
        jws = jwcrypto.jws.JWS(header_registry=known)
        jws.deserialize(json.dumps({k: env[k] for k in ("payload", "protected", "signature")}))
        pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        jws.verify(jwcrypto.jwk.JWK.from_pem(pem), alg=alg)
        print("jwcrypto: the JWS verifies", file=sys.stderr)
    except ImportError:
        pass
    except Exception as e:  # noqa: BLE001 - any jwcrypto failure is a rejection
        raise Rejected("jwcrypto rejects the JWS: %s" % e)
    return payload, chain


def notation(args):
    now = datetime.datetime.now(datetime.timezone.utc)
    with open(args.policy) as f:
        policy_doc = json.load(f)
    policies = policy_doc.get("trustPolicies") or []
    policy = next((p for p in policies if args.scope in p.get("registryScopes", [])), None)
    policy = policy or next((p for p in policies if p.get("registryScopes") == ["*"]), None)
    if policy is None:
        raise Rejected("no trust policy for %s" % args.scope)
    level = policy["signatureVerification"]["level"]
    if level == "skip":
        print("verified: level skip")
        return
    if level != "strict":
        raise Rejected("this verifier only does strict")
    store = []
    for path in args.store:
        with open(path, "rb") as f:
            store += [c.public_bytes(serialization.Encoding.DER) for c in load_pem_certificates(f.read())]
    identities = policy.get("trustedIdentities") or []
    reg = Registry(args.registry, args.ca, args.repo)
    desc = reg.resolve(args.ref)
    status, h, body = reg.request("GET", "referrers/" + desc["digest"], OCI_INDEX)
    if status == 200 and h.get("content-type", "").split(";")[0].strip() == OCI_INDEX:
        index = json.loads(body)
    elif status == 404 and b"NAME_UNKNOWN" not in body:
        body, ctype = reg.manifest(desc["digest"].replace(":", "-"), OCI_INDEX)
        if body is None:
            raise Rejected("no signatures (no referrers index)")
        if ctype != OCI_INDEX:
            raise Rejected("referrers tag is not an OCI index")
        index = json.loads(body)
    else:
        raise Rejected("referrers API answered %d" % status)
    sigs = [m for m in index.get("manifests") or [] if m.get("artifactType") == NOTARY_SIG]
    if not sigs:
        raise Rejected("no signature is associated with %s" % desc["digest"])
    reasons = []
    user = dict(a.split("=", 1) for a in args.user_metadata)
    for i, entry in enumerate(sigs[:100]):
        try:
            mbytes, ctype = reg.manifest(entry["digest"], OCI_MANIFEST)
            if mbytes is None:
                raise Rejected("signature manifest missing")
            if len(mbytes) > 4 << 20:
                raise Rejected("signature manifest too large")
            m = json.loads(mbytes)
            if m.get("mediaType") != OCI_MANIFEST:
                raise Rejected("signature manifest is not an OCI manifest")
            layers = m.get("layers") or []
            if len(layers) != 1:
                raise Rejected("signature manifest has %d layers, not 1" % len(layers))
            if layers[0].get("mediaType") != "application/jose+json":
                raise Rejected("envelope type %r" % layers[0].get("mediaType"))
            env = json.loads(reg.blob(layers[0]["digest"], 32 << 20))
            payload, chain = jws_verify(env, now)
            check_chain(chain, now)
            der = [c.public_bytes(serialization.Encoding.DER) for c in chain]
            if not any(d in store for d in der):
                raise Rejected("no certificate of the chain is in the trust store")
            if "*" not in identities:
                leaf = {k: [a.value for a in chain[0].subject.get_attributes_for_oid(o)] for k, o in OIDS.items()}
                ok = False
                for ident in identities:
                    if not ident.startswith("x509.subject:"):
                        continue
                    want = parse_dn(ident[len("x509.subject:"):])
                    if all(v in leaf.get(k, []) for k, v in want.items()):
                        ok = True
                if not ok:
                    raise Rejected("signing identity is not trusted")
            target = json.loads(payload).get("targetArtifact") or {}
            for k in ("mediaType", "digest", "size"):
                if target.get(k) != desc[k]:
                    raise Rejected("payload %s %r is not the artifact's %r" % (k, target.get(k), desc[k]))
            for k, v in user.items():
                if (target.get("annotations") or {}).get(k) != v:
                    raise Rejected("user metadata %s is %r, not %r" % (k, (target.get("annotations") or {}).get(k), v))
            print("verified: notation signature %s (%d of %d) for %s" % (entry["digest"], i, len(sigs), desc["digest"]))
            return
        except Rejected as e:
            reasons.append("%s: %s" % (entry.get("digest"), e))
        except (ValueError, KeyError, TypeError, binascii.Error) as e:
            reasons.append("%s: malformed: %s" % (entry.get("digest"), e))
    raise Rejected("no signature verifies: %s" % "; ".join(reasons))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("cosign", "notation"):
        p = sub.add_parser(name)
        p.add_argument("--registry", required=True)
        p.add_argument("--ca")
        p.add_argument("--repo", required=True)
        p.add_argument("--ref", required=True)
        if name == "cosign":
            p.add_argument("--key", required=True)
            p.add_argument("-a", action="append", default=[])
            p.add_argument("--identity")
        else:
            p.add_argument("--scope", required=True)
            p.add_argument("--policy", required=True)
            p.add_argument("--store", action="append", required=True)
            p.add_argument("--user-metadata", action="append", default=[])
    args = ap.parse_args()
    try:
        (cosign if args.cmd == "cosign" else notation)(args)
    except Rejected as e:
        print("rejected: %s" % e)
        sys.exit(1)


if __name__ == "__main__":
    main()
