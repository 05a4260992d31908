//! Terminal prompts with Docker's texts, driven on a real pseudo-terminal
//! (tests/it/support/pty_drive.py): confirmation, the 8-character minimum, the root warning, and
//! four tries for an existing key.

use crate::support::Sandbox;

#[test]
fn new_key_prompts_check_length_and_confirmation() {
    let sb = Sandbox::new();
    let (code, out) = sb.pty(&["key", "generate", "alice"],
        &[
            ("Enter passphrase for new alice key with ID ", "short"),
            (
                "Passphrase is too short. Please use a password manager to generate and store a good random passphrase.",
                "",
            ),
            (
                "Enter passphrase for new alice key with ID ",
                "alicepassphrase",
            ),
            ("Repeat passphrase for new alice key with ID ", "different1"),
            ("Passphrases do not match. Please retry.", ""),
            (
                "Enter passphrase for new alice key with ID ",
                "alicepassphrase",
            ),
            (
                "Repeat passphrase for new alice key with ID ",
                "alicepassphrase",
            ),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Successfully generated and loaded private key."),
        "{out}"
    );
    assert!(
        !out.contains("alicepassphrase"),
        "passphrases must not echo:\n{out}"
    );
    assert_eq!(sb.key_ids().len(), 1);
}

#[test]
fn root_keys_get_the_warning_and_existing_keys_get_four_tries() {
    let sb = Sandbox::new();
    let (code, out) = sb.pty(
        &["key", "generate", "root"],
        &[
            (
                "You are about to create a new root signing key passphrase.",
                "",
            ),
            (
                "Enter passphrase for new root key with ID ",
                "rootpassphrase",
            ),
            (
                "Repeat passphrase for new root key with ID ",
                "rootpassphrase",
            ),
        ],
    );
    assert_eq!(code, 0, "{out}");
    let id = sb.key_ids()[0].clone();
    let short = &id[..7];
    let ask = format!("Enter passphrase for root key with ID {short}: ");
    let (code, out) = sb.pty(
        &["key", "passwd", &id],
        &[
            (&ask, "wrong1"),
            ("Passphrase incorrect. Please retry.", ""),
            (&ask, "wrong2"),
            (&ask, "wrong3"),
            (&ask, "wrong4"),
        ],
    );
    assert_eq!(code, 7, "{out}");
    assert!(
        out.contains("password invalid, operation has failed"),
        "{out}"
    );
    let (code, out) = sb.pty(
        &["key", "passwd", &id],
        &[
            (&ask, "rootpassphrase"),
            (
                "Enter passphrase for new root key with ID ",
                "newrootpassphrase",
            ),
            (
                "Repeat passphrase for new root key with ID ",
                "newrootpassphrase",
            ),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("Successfully updated passphrase for key ID: {id}")),
        "{out}"
    );
}
