//! Writing trust data: `dct init`, `dct sign`, `dct publish`, `dct status`, `dct revoke`,
//! `dct signer add|remove` — Docker's semantics and messages, notary's changelist and files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use crate::error::{Error, Result};
use crate::keys::passphrase::Retriever;
use crate::keys::pem;
use crate::publish::{StoreKeys, Writer, canonical_ids};
use crate::reference::Reference;
use crate::remote::registry::{Registry, parse_digest};
use crate::tuf::changelist::{Change, Changelist};
use crate::tuf::edit::Editor;
use crate::tuf::meta::{FileMeta, Key};
use crate::tuf::root::Pinning;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Repository to initialise, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Tags to sign (several are published together, per repository)
    #[arg(value_name = "IMAGE:TAG", required = true)]
    pub images: Vec<String>,
    /// Sign this manifest digest instead of asking the registry (needs --size)
    #[arg(long, value_name = "sha256:HEX", requires = "size")]
    pub digest: Option<String>,
    /// Size in bytes of the manifest given with --digest
    #[arg(long, value_name = "N", requires = "digest")]
    pub size: Option<u64>,
    /// Only stage the signature; publish later with `dct publish`
    #[arg(long)]
    pub local: bool,
}

#[derive(Debug, Args)]
pub struct RepoArgs {
    /// Repository, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// A tag to revoke, or a repository to revoke every signed tag of
    #[arg(value_name = "IMAGE[:TAG]")]
    pub image: String,
    /// Do not ask for confirmation when revoking every tag
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Repository, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// root, targets, snapshot or timestamp
    #[arg(value_name = "ROLE")]
    pub role: String,
    /// Let the server manage the new key (snapshot; timestamp always is)
    #[arg(long)]
    pub server_managed: bool,
    /// Use this private key (PEM) instead of generating one (root, targets, snapshot)
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Do not ask before rotating the root key
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Repository, e.g. registry.example.com/app
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Also delete the trust data on the server (needs the `*` permission there)
    #[arg(long)]
    pub remote: bool,
}

#[derive(Debug, Subcommand)]
pub enum SignerCommand {
    /// Add a signer (a delegation, as `docker trust signer add`) to repositories
    Add {
        /// Signer name: lower-case letters, digits, `-` and `_`
        name: String,
        /// Repositories
        #[arg(value_name = "IMAGE", required = true)]
        images: Vec<String>,
        /// The signer's public key or certificate (PEM) [repeatable]
        #[arg(long = "key", value_name = "PUB.pem", required = true)]
        keys: Vec<PathBuf>,
    },
    /// Remove a signer from repositories
    Remove {
        name: String,
        #[arg(value_name = "IMAGE", required = true)]
        images: Vec<String>,
        /// Do not ask when this signer signed the current releases
        #[arg(short, long)]
        force: bool,
    },
}

/// Runs `f` with a [`Writer`] built from the context.
fn with_writer<T>(ctx: &mut Ctx, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
    let pinning = Pinning::load(&ctx.trust_dir)?;
    let server = ctx.server.clone();
    let trust_dir = ctx.trust_dir.clone();
    let quiet = ctx.quiet;
    let store = ctx.key_store();
    let http = ctx.http()?;
    let progress = move |s: &str| {
        if !quiet {
            eprintln!("{s}");
        }
    };
    let mut w = Writer {
        http,
        trust_dir: &trust_dir,
        server: server.as_deref(),
        pinning: &pinning,
        keys: StoreKeys::new(store, Retriever::new()).warn_with(move |w| {
            if !quiet {
                eprintln!("dct: warning: {w}");
            }
        }),
        progress: &progress,
    };
    f(&mut w)
}

fn repository(arg: &str) -> Result<Reference> {
    let r = Reference::parse(arg)?;
    if r.digest().is_some() {
        return Err(Error::invalid(format!(
            "cannot use a digest reference for IMAGE:TAG: {arg}"
        )));
    }
    Ok(r)
}

pub fn init(ctx: &mut Ctx, args: InitArgs) -> Result<()> {
    let reference = repository(&args.image)?;
    let name = reference.name();
    let out = with_writer(ctx, |w| {
        if w.load(&reference, &args.image)?.is_some() {
            return Ok(format!("{name} already has trust data; nothing to do\n"));
        }
        (w.progress)(&format!("Initializing signed repository for {name}..."));
        let editor = w.create(&reference)?;
        w.publish(&reference, &args.image, Some(editor), &[])?;
        Ok(format!("Successfully initialized \"{name}\"\n"))
    })?;
    ctx.out(&out)
}

/// One tag to sign.
struct Wanted {
    as_typed: String,
    reference: Reference,
    tag: String,
    meta: FileMeta,
}

pub fn sign(ctx: &mut Ctx, args: SignArgs) -> Result<()> {
    let given = match (&args.digest, args.size) {
        (Some(d), Some(size)) => {
            let digest = d
                .strip_prefix("sha256:")
                .and_then(parse_digest_hex)
                .ok_or_else(|| {
                    Error::invalid(format!("--digest {d}: expected sha256: and 64 hex digits"))
                })?;
            Some((digest, size))
        }
        _ => None,
    };
    // Resolve every tag first: nothing is staged unless all of them are known.
    let mut wanted = Vec::new();
    for arg in &args.images {
        let reference = repository(arg)?;
        let tag = reference
            .tag()
            .ok_or_else(|| Error::invalid(format!("no tag specified for {arg}")))?
            .to_string();
        let (digest, size) = match given {
            Some(g) => g,
            None => {
                let http = ctx.http()?;
                let m = Registry::new(http, &reference)?.manifest(&tag)?;
                (m.digest, m.size)
            }
        };
        let meta = FileMeta {
            length: i64::try_from(size)
                .map_err(|_| Error::invalid(format!("size {size} is too large")))?,
            hashes: BTreeMap::from([("sha256".to_string(), digest.to_vec())]),
            custom: None,
        };
        wanted.push(Wanted {
            as_typed: arg.clone(),
            reference,
            tag,
            meta,
        });
    }
    let mut by_repo: BTreeMap<String, Vec<Wanted>> = BTreeMap::new();
    for w in wanted {
        by_repo.entry(w.reference.name()).or_default().push(w);
    }
    let local = args.local;
    let lines = with_writer(ctx, |w| {
        let mut lines = String::new();
        for (name, tags) in by_repo {
            let reference = tags[0].reference.clone();
            for t in &tags {
                (w.progress)(&format!(
                    "Signing and pushing trust metadata for {}",
                    t.as_typed
                ));
            }
            // Whatever fails from here on (keys, network, auth), the signatures end up in the
            // changelist for `dct publish` (`Writer::publish` stages them on failure).
            let loaded = w
                .load(&reference, &tags[0].as_typed)?
                .map(|repo| Editor::from_repo(&repo));
            let mut changes = Vec::new();
            for t in &tags {
                let roles = match &loaded {
                    // A new repository: Docker signs into `targets`.
                    None => vec!["targets".to_string()],
                    Some(editor) => {
                        existing_signatures(w, editor, t);
                        editor.signable_roles(&t.tag, &|id| w.has_key(id))?
                    }
                };
                for role in roles {
                    changes.push(Change::add_target(&role, &t.tag, &t.meta));
                }
            }
            if local {
                w.stage(&reference, &changes)?;
                for t in &tags {
                    lines.push_str(&format!(
                        "Staged signature for {name}:{}; publish it with `dct publish {name}`\n",
                        t.tag
                    ));
                }
                continue;
            }
            let (editor, created) = match loaded {
                Some(editor) => (Some(editor), false),
                None => {
                    (w.progress)(&format!("Initializing signed repository for {name}..."));
                    match w.create(&reference) {
                        Ok(e) => (Some(e), true),
                        // Keys or the server failed: keep the signatures staged.
                        Err(e) => {
                            w.stage(&reference, &changes)?;
                            return Err(e);
                        }
                    }
                }
            };
            w.publish(&reference, &tags[0].as_typed, editor, &changes)?;
            if created {
                (w.progress)(&format!("Finished initializing \"{name}\""));
            }
            for t in &tags {
                lines.push_str(&format!("Successfully signed {name}:{}\n", t.tag));
            }
        }
        Ok(lines)
    })?;
    ctx.out(&lines)
}

fn parse_digest_hex(hex_digits: &str) -> Option<[u8; 32]> {
    parse_digest(&format!("sha256:{hex_digits}"))
}

/// Docker's notice when a tag is already signed: by whom, and for which digest.
fn existing_signatures(w: &Writer<'_>, editor: &Editor, t: &Wanted) {
    let mut signers = Vec::new();
    let mut digest = None;
    for role in ["targets/releases", "targets"] {
        if let Some(m) = editor.targets(role).and_then(|r| r.targets.get(&t.tag)) {
            digest.get_or_insert(m.sha256());
            signers.push(if role == "targets" {
                "Repo Admin".to_string()
            } else {
                "Repo Admin (releases)".to_string()
            });
        }
    }
    for (d, _) in editor.delegations() {
        if d.name != "targets/releases"
            && editor
                .targets(&d.name)
                .is_some_and(|r| r.targets.contains_key(&t.tag))
        {
            signers.push(d.name.trim_start_matches("targets/").to_string());
        }
    }
    if let Some(Some(d)) = digest {
        (w.progress)(&format!(
            "Existing signatures for tag {} digest {} from:\n{}\n",
            t.tag,
            hex::encode(d),
            signers.join(", ")
        ));
        if t.meta.sha256() != Some(d) {
            (w.progress)(&format!(
                "The registry now has {} for {}: signing the new digest",
                format_args!(
                    "sha256:{}",
                    hex::encode(t.meta.sha256().unwrap_or_default())
                ),
                t.tag
            ));
        }
    }
}

pub fn publish(ctx: &mut Ctx, args: RepoArgs) -> Result<()> {
    let reference = repository(&args.image)?;
    let name = reference.name();
    let cl = Changelist::open(&ctx.trust_dir, &name)?;
    if cl.is_empty()? {
        return ctx.out(&format!("No unpublished changes for {name}\n"));
    }
    let out = with_writer(ctx, |w| {
        (w.progress)(&format!("Pushing changes to {name}"));
        let p = w.publish(&reference, &args.image, None, &[])?;
        Ok(format!(
            "Successfully published {} change{} for repository {name}\n",
            p.changes,
            if p.changes == 1 { "" } else { "s" }
        ))
    })?;
    ctx.out(&out)
}

pub fn status(ctx: &mut Ctx, args: RepoArgs) -> Result<()> {
    let reference = repository(&args.image)?;
    let name = reference.name();
    let staged = Changelist::open(&ctx.trust_dir, &name)?.list()?;
    if ctx.json {
        let rows: Vec<serde_json::Value> = staged
            .iter()
            .map(|s| {
                serde_json::json!({
                    "action": s.change.action.as_str(),
                    "scope": s.change.scope,
                    "type": s.change.kind.as_str(),
                    "path": s.change.path,
                    "file": s.path,
                })
            })
            .collect();
        return ctx.out(&format!("{}\n", serde_json::Value::Array(rows)));
    }
    if staged.is_empty() {
        return ctx.out(&format!("No unpublished changes for {name}\n"));
    }
    let mut rows = vec![
        vec!["#", "ACTION", "SCOPE", "TYPE", "PATH"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>(),
        vec!["-", "------", "-----", "----", "----"]
            .into_iter()
            .map(String::from)
            .collect(),
    ];
    for (i, s) in staged.iter().enumerate() {
        rows.push(vec![
            i.to_string(),
            s.change.action.as_str().to_string(),
            s.change.scope.clone(),
            s.change.kind.as_str().to_string(),
            s.change.path.clone(),
        ]);
    }
    ctx.out(&format!(
        "Unpublished changes for {name}:\n\n{}",
        super::table::layout(&rows, 0, 4)
    ))
}

pub fn revoke(ctx: &mut Ctx, args: RevokeArgs) -> Result<()> {
    let reference = repository(&args.image)?;
    let tag = reference.tag().map(str::to_string);
    if tag.is_none() && !args.yes {
        let ok = ctx.confirm(
            &format!(
                "Confirm you would like to delete all signature data for {}? [y/N] ",
                args.image
            ),
            &format!("revoking every signed tag of {}", args.image),
            "-y",
        )?;
        if !ok {
            ctx.progress("\nAborting action.");
            return Ok(());
        }
    }
    let arg = args.image.clone();
    let out = with_writer(ctx, |w| {
        let fail =
            |why: String| Error::NotSigned(format!("could not remove signature for {arg}: {why}"));
        let repo = w
            .load(&reference, &arg)?
            .ok_or_else(|| fail(format!("{} has no trust data", reference.name())))?;
        let editor = Editor::from_repo(&repo);
        let released = |t: &str| {
            ["targets/releases", "targets"]
                .iter()
                .any(|r| editor.targets(r).is_some_and(|x| x.targets.contains_key(t)))
        };
        let tags: Vec<String> = match &tag {
            Some(t) if released(t) => vec![t.clone()],
            Some(t) => return Err(fail(format!("No valid trust data for {t}"))),
            None => {
                let mut all: Vec<String> = ["targets/releases", "targets"]
                    .iter()
                    .filter_map(|r| editor.targets(r))
                    .flat_map(|x| x.targets.keys().cloned())
                    .collect();
                all.sort();
                all.dedup();
                if all.is_empty() {
                    return Err(fail("no signed tags to remove".into()));
                }
                all
            }
        };
        let mut changes = Vec::new();
        for t in &tags {
            for role in editor.signable_roles(t, &|id| w.has_key(id))? {
                if editor
                    .targets(&role)
                    .is_some_and(|x| x.targets.contains_key(t))
                {
                    changes.push(Change::remove_target(&role, t));
                }
            }
        }
        if changes.is_empty() {
            return Err(Error::key(format!(
                "could not remove signature for {arg}: this trust dir holds no key of a role that signed it"
            )));
        }
        w.publish(&reference, &arg, Some(editor), &changes)?;
        Ok(format!("Successfully deleted signature for {arg}\n"))
    })?;
    ctx.out(&out)
}

/// Reads a signer's public key: PEM `PUBLIC KEY` (ECDSA or RSA) or `CERTIFICATE`.
fn read_public_key(path: &PathBuf) -> Result<Key> {
    use der::{Decode, Encode};
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::invalid(format!("cannot read public key {}: {e}", path.display())))?;
    if meta.len() > 1 << 20 {
        return Err(Error::invalid(format!(
            "{} is larger than 1 MiB: not a public key",
            path.display()
        )));
    }
    let text = std::fs::read(path)
        .map_err(|e| Error::invalid(format!("cannot read public key {}: {e}", path.display())))?;
    let blocks =
        pem::parse_all(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    let bad = || {
        Error::invalid(format!(
            "{} is not a PEM public key or certificate",
            path.display()
        ))
    };
    let block = blocks.first().ok_or_else(bad)?;
    const RSA: &str = "1.2.840.113549.1.1.1";
    match block.label.as_str() {
        "PUBLIC KEY" => {
            let spki = spki::SubjectPublicKeyInfoRef::from_der(&block.data).map_err(|_| bad())?;
            let keytype = if spki.algorithm.oid.to_string() == RSA {
                "rsa"
            } else {
                "ecdsa"
            };
            Ok(Key {
                keytype: keytype.into(),
                public: block.data.to_vec(),
            })
        }
        "CERTIFICATE" => {
            let cert = x509_cert::Certificate::from_der(&block.data).map_err(|_| bad())?;
            let v = cert.tbs_certificate().validity();
            let now = std::time::SystemTime::now();
            if v.not_after.to_system_time() < now || v.not_before.to_system_time() > now {
                return Err(Error::invalid(format!(
                    "certificate {} is expired or not yet valid",
                    path.display()
                )));
            }
            let alg = cert
                .tbs_certificate()
                .subject_public_key_info()
                .algorithm
                .oid
                .to_string();
            let der = cert.to_der().map_err(|_| bad())?;
            Ok(Key {
                keytype: if alg == RSA { "rsa-x509" } else { "ecdsa-x509" }.into(),
                public: pem::Block::new("CERTIFICATE", der).encode().into_bytes(),
            })
        }
        _ => Err(bad()),
    }
}

pub fn signer(ctx: &mut Ctx, cmd: SignerCommand) -> Result<()> {
    match cmd {
        SignerCommand::Add { name, images, keys } => signer_add(ctx, &name, &images, &keys),
        SignerCommand::Remove {
            name,
            images,
            force,
        } => signer_remove(ctx, &name, &images, force),
    }
}

fn check_signer_name(name: &str) -> Result<()> {
    if name == "releases" {
        return Err(Error::invalid(
            "releases is a reserved keyword, use a different signer name",
        ));
    }
    super::key::check_key_name(name)
}

/// Runs `each` for every repository, printing per-repository failures as Docker does, and
/// failing at the end with the list of repositories that failed.
fn per_repo(
    ctx: &mut Ctx,
    images: &[String],
    failed_msg: &str,
    mut each: impl FnMut(&mut Ctx, &str) -> Result<String>,
) -> Result<()> {
    let mut failed = Vec::new();
    let mut first: Option<Error> = None;
    for image in images {
        match each(ctx, image) {
            Ok(out) => ctx.out(&out)?,
            Err(e) => {
                eprintln!("dct: {e}\n");
                failed.push(image.clone());
                first.get_or_insert(e);
            }
        }
    }
    match first {
        None => Ok(()),
        Some(e) if images.len() == 1 => Err(Error::Reported(Box::new(e))),
        Some(e) => {
            eprintln!("dct: {failed_msg}: {}", failed.join(", "));
            Err(Error::Reported(Box::new(e)))
        }
    }
}

fn signer_add(ctx: &mut Ctx, name: &str, images: &[String], key_files: &[PathBuf]) -> Result<()> {
    check_signer_name(name)?;
    let keys = key_files
        .iter()
        .map(read_public_key)
        .collect::<Result<Vec<Key>>>()?;
    let role = format!("targets/{name}");
    per_repo(ctx, images, "failed to add signer to", |ctx, image| {
        let reference = repository(image)?;
        let gun = reference.name();
        with_writer(ctx, |w| {
            (w.progress)(&format!("Adding signer \"{name}\" to {image}..."));
            let editor = match w.load(&reference, image)? {
                Some(repo) => Editor::from_repo(&repo),
                None => {
                    (w.progress)(&format!("Initializing signed repository for {image}..."));
                    w.create(&reference)?
                }
            };
            let created = editor.is_initial();
            let all = vec![String::new()];
            let changes = [
                Change::create_delegation(&role, &keys, 1),
                Change::add_delegation_paths(&role, &all),
                Change::create_delegation("targets/releases", &keys, 1),
                Change::add_delegation_paths("targets/releases", &all),
            ];
            w.publish(&reference, image, Some(editor), &changes)?;
            if created {
                (w.progress)(&format!("Successfully initialized \"{gun}\""));
            }
            Ok(format!("Successfully added signer: {name} to {image}\n\n"))
        })
    })
}

fn signer_remove(ctx: &mut Ctx, name: &str, images: &[String], force: bool) -> Result<()> {
    if name == "releases" {
        return Err(Error::invalid(
            "releases is a reserved keyword and cannot be removed",
        ));
    }
    let role = format!("targets/{name}");
    per_repo(ctx, images, "error removing signer from", |ctx, image| {
        let reference = repository(image)?;
        let interactive_ok = force;
        let mut needs_confirm = false;
        let repo = with_writer(ctx, |w| {
            (w.progress)(&format!("Removing signer \"{name}\" from {image}..."));
            w.load(&reference, image)
        })?
        .ok_or_else(|| Error::invalid(format!("no signer {name} for repository {image}")))?;
        let editor = Editor::from_repo(&repo);
        let Some((decl, parent_keys)) = editor
            .delegations()
            .into_iter()
            .find(|(d, _)| d.name == role)
        else {
            return Err(Error::invalid(format!(
                "no signer {name} for repository {image}"
            )));
        };
        let signer_keys: Vec<Key> = decl
            .ids()
            .iter()
            .filter_map(|id| parent_keys.get(id).cloned())
            .collect();
        let signer_ids = canonical_ids(&signer_keys);
        // Docker asks before removing the signer whose signatures keep the releases valid.
        if let Some(rel) = repo.role("targets/releases")
            && !rel.env.signed.targets.is_empty()
        {
            let (keys, threshold) = editor.role_keys("targets/releases").unwrap_or_default();
            let remaining = rel
                .env
                .signatures
                .iter()
                .filter(|s| keys.contains_key(&s.keyid))
                .filter(|s| {
                    let canonical = canonical_ids(std::slice::from_ref(&keys[&s.keyid]));
                    !canonical.iter().any(|c| signer_ids.contains(c))
                })
                .count();
            needs_confirm = (remaining as i64) < threshold;
        }
        if needs_confirm && !interactive_ok {
            let ok = ctx.confirm(
                &format!(
                    "The signer \"{name}\" signed the last released version of {image}. Removing \
                     this signer will make {image} unpullable. Are you sure you want to continue? [y/N] "
                ),
                &format!("removing the last signer of the releases of {image}"),
                "-f",
            )?;
            if !ok {
                ctx.progress("\nAborting action.");
                return Ok(String::new());
            }
        }
        with_writer(ctx, |w| {
            let changes = [
                Change::remove_delegation_keys("targets/releases", &signer_ids),
                Change::delete_delegation(&role),
            ];
            w.publish(&reference, image, Some(editor), &changes)?;
            Ok(format!("Successfully removed {name} from {image}\n\n"))
        })
    })
}

pub fn rotate(ctx: &mut Ctx, args: RotateArgs) -> Result<()> {
    let reference = repository(&args.image)?;
    let name = reference.name();
    let role = args.role.to_ascii_lowercase();
    if role == "root" && !args.yes {
        let ok = ctx.confirm(
            "Warning: you are about to rotate your root key.\n\nYou must use your old key to \
             sign this root rotation.\nAre you sure you want to proceed?  (yes/no)  ",
            &format!("rotating the root key of {name}"),
            "-y",
        )?;
        if !ok {
            ctx.progress("\nAborting action.");
            return Ok(());
        }
    }
    let key = match &args.key {
        Some(file) => Some(super::key::read_private_key(file, &role)?),
        None => None,
    };
    let id = with_writer(ctx, |w| {
        w.rotate(&reference, &args.image, &role, args.server_managed, key)
    })?;
    ctx.debug(&format!("new {role} key {id}"));
    ctx.out(&format!(
        "Successfully rotated {role} key for repository {name}\n"
    ))
}

pub fn delete(ctx: &mut Ctx, args: DeleteArgs) -> Result<()> {
    let reference = repository(&args.image)?;
    let name = reference.name();
    ctx.progress(&format!("Deleting trust data for repository {name}"));
    with_writer(ctx, |w| w.delete(&reference, args.remote))?;
    ctx.out(&format!(
        "Successfully deleted local{} trust data for repository {name}\n",
        if args.remote { " and remote" } else { "" }
    ))
}
