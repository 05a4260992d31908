//! Where dct keeps things (Docker's layout) and every environment variable it reads.

use std::path::{Path, PathBuf};

/// Docker's config dir: `--config`, else `$DOCKER_CONFIG`, else `~/.docker`.
pub fn config_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    std::env::home_dir()
        .unwrap_or_else(|| PathBuf::from("/"))
        .join(".docker")
}

/// The trust dir: `--trust-dir`, else `<config>/trust`.
pub fn trust_dir(config: &Path, flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .unwrap_or_else(|| config.join("trust"))
}

/// One environment variable dct reads.
pub struct EnvVar {
    pub name: &'static str,
    pub secret: bool,
    pub meaning: &'static str,
}

/// Every variable dct reads, in the order `dct env` lists them.
pub const ENV_VARS: &[EnvVar] = &[
    EnvVar {
        name: "DOCKER_CONFIG",
        secret: false,
        meaning: "Docker config dir (default ~/.docker); the trust dir is DIR/trust",
    },
    EnvVar {
        name: "DOCKER_CONTENT_TRUST_SERVER",
        secret: false,
        meaning: "trust server URL (https), like -s/--server",
    },
    EnvVar {
        name: "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE",
        secret: true,
        meaning: "root key passphrase",
    },
    EnvVar {
        name: "NOTARY_ROOT_PASSPHRASE",
        secret: true,
        meaning: "root key passphrase (notary's name)",
    },
    EnvVar {
        name: "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE",
        secret: true,
        meaning: "targets, snapshot and signer key passphrase",
    },
    EnvVar {
        name: "NOTARY_TARGETS_PASSPHRASE",
        secret: true,
        meaning: "targets key passphrase (notary's name)",
    },
    EnvVar {
        name: "NOTARY_SNAPSHOT_PASSPHRASE",
        secret: true,
        meaning: "snapshot key passphrase (notary's name)",
    },
    EnvVar {
        name: "NOTARY_DELEGATION_PASSPHRASE",
        secret: true,
        meaning: "signer (delegation) key passphrase (notary's name)",
    },
    EnvVar {
        name: "DCT_NEW_PASSPHRASE",
        secret: true,
        meaning: "new passphrase for key passwd, key load/import and key export --reencrypt",
    },
    EnvVar {
        name: "DCT_BACKUP_PASSPHRASE",
        secret: true,
        meaning: "passphrase of a sealed key backup (key backup, key restore)",
    },
    EnvVar {
        name: "HOME",
        secret: false,
        meaning: "home dir, for the default config dir ~/.docker",
    },
];
