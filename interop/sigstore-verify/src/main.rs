//! An optional cross-check outside dct's build: cosign key-based verification with sigstore-rs, the
//! Sigstore project's Rust client. Usage: sigstore-verify IMAGE KEY.pub CA.crt [k=v...]
use std::collections::BTreeMap;

use sigstore::cosign::verification_constraint::{
    AnnotationVerifier, PublicKeyVerifier, VerificationConstraintVec,
};
use sigstore::cosign::{ClientBuilder, CosignCapabilities};
use sigstore::crypto::SigningScheme;
use sigstore::registry::{
    Auth, Certificate, CertificateEncoding, ClientConfig, ClientProtocol, OciReference,
};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let image: OciReference = args[1].parse().expect("image reference");
    let key = std::fs::read(&args[2]).expect("key");
    let ca = std::fs::read(&args[3]).expect("ca");
    let mut config = ClientConfig::default();
    config.protocol = ClientProtocol::Https;
    config.extra_root_certificates = vec![Certificate {
        encoding: CertificateEncoding::Pem,
        data: ca,
    }];
    let trust = sigstore::trust::ManualTrustRoot::default();
    let mut client = ClientBuilder::default()
        .with_oci_client_config(config)
        .with_trust_repository(&trust)
        .expect("trust root")
        .build()
        .expect("client");
    let layers = match client
        .trusted_signature_layers(&Auth::Anonymous, &image)
        .await
    {
        Ok(l) => l,
        Err(e) => {
            println!("sigstore-rs: cannot read signatures: {e}");
            std::process::exit(1);
        }
    };
    let mut constraints: VerificationConstraintVec = vec![Box::new(
        PublicKeyVerifier::new(&key, &SigningScheme::ECDSA_P256_SHA256_ASN1).expect("key"),
    )];
    let annotations: BTreeMap<String, String> = args[4..]
        .iter()
        .filter_map(|a| {
            a.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    if !annotations.is_empty() {
        constraints.push(Box::new(AnnotationVerifier { annotations }));
    }
    match sigstore::cosign::verify_constraints(&layers, constraints.iter()) {
        Ok(()) => println!(
            "sigstore-rs: verified ({} signature layers read)",
            layers.len()
        ),
        Err(e) => {
            println!("sigstore-rs: rejected: {:?}", e.unsatisfied_constraints);
            std::process::exit(1);
        }
    }
}
