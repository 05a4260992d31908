//! Notary's role names and the rules about them, in one place: the four base roles, Docker's
//! `targets/releases`, the order `docker pull` resolves tags in, and delegation names.

/// The root role: keys of every base role, the trust anchor.
pub const ROOT: &str = "root";
/// The top-level targets role (Docker's "Repo Admin").
pub const TARGETS: &str = "targets";
/// The snapshot role (usually held by the server).
pub const SNAPSHOT: &str = "snapshot";
/// The timestamp role (always held by the server).
pub const TIMESTAMP: &str = "timestamp";
/// Docker's delegation every signer is added to; tags are resolved through it first.
pub const RELEASES: &str = "targets/releases";
/// The prefix of every delegation name.
pub const DELEGATION_PREFIX: &str = "targets/";

/// Docker's roles for tag resolution, in priority order (notary-spec §6.6): a tag is looked up
/// in `targets/releases`, then in `targets`; nothing else counts for `docker pull`.
pub const LOOKUP_ORDER: [&str; 2] = [RELEASES, TARGETS];

/// The base roles, in root.json's order of mention.
pub const BASE_ROLES: [&str; 4] = [ROOT, TARGETS, SNAPSHOT, TIMESTAMP];

/// Whether `role` is one of the roles a `docker pull` resolves tags through.
pub fn is_released(role: &str) -> bool {
    LOOKUP_ORDER.contains(&role)
}

/// A signer's name from its role (`targets/alice` → `alice`); other names unchanged.
pub fn signer_name(role: &str) -> &str {
    role.strip_prefix(DELEGATION_PREFIX).unwrap_or(role)
}

/// The delegation role of signer `name` (`alice` → `targets/alice`).
pub fn signer_role(name: &str) -> String {
    format!("{DELEGATION_PREFIX}{name}")
}

/// Names of delegation roles: `targets/` followed by non-empty segments (no `..`, no `*`).
pub fn is_delegation_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(DELEGATION_PREFIX) else {
        return false;
    };
    !rest.is_empty()
        && rest
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains('*'))
        && !name.ends_with('/')
}

/// `path.Dir` for role names (`targets/a/b` → `targets/a`).
pub fn parent_role(name: &str) -> &str {
    name.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

/// Whether `role` is `base` or lies below it in the delegation tree.
pub fn is_under(role: &str, base: &str) -> bool {
    role == base || (role.starts_with(base) && role.as_bytes().get(base.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_delegation_name(RELEASES));
        assert!(is_delegation_name("targets/a/b"));
        for bad in [
            "targets",
            "targets/",
            "targets//a",
            "targets/../x",
            "targets/*",
            "x/a",
        ] {
            assert!(!is_delegation_name(bad), "{bad}");
        }
        assert_eq!(parent_role("targets/a/b"), "targets/a");
        assert_eq!(parent_role(TARGETS), "");
        assert_eq!(signer_name("targets/alice"), "alice");
        assert_eq!(signer_role("alice"), "targets/alice");
        assert!(is_under("targets/releases/x", RELEASES));
        assert!(is_under(RELEASES, RELEASES));
        assert!(!is_under("targets/releasesx", RELEASES));
        assert!(is_released(TARGETS) && is_released(RELEASES) && !is_released("targets/a"));
    }
}
