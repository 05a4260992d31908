//! `dct pull`: resolve through trust, then write an OCI layout or a docker-archive, or hand the
//! verified digest to the Docker engine.

use std::io::IsTerminal;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ctx;
use super::trust::PinArgs;
use crate::error::{Error, Result};
use crate::pull::{self, Output, Platform, Platforms, Reporter};
use crate::reference::Reference;
use crate::remote::registry::{DEFAULT_JOBS, Registry};
use crate::trust::{self, ReadOptions};

#[derive(Debug, Args)]
pub struct PullArgs {
    /// Image and tag, e.g. registry.example.com/app:v1 (tag defaults to latest)
    #[arg(value_name = "IMAGE[:TAG]")]
    pub image: String,
    /// Write the image to an OCI layout (oci:DIR[:REF], REF defaults to the tag) or a `docker
    /// load` archive (docker-archive:FILE) instead of the Docker engine
    #[arg(long, value_name = "DEST")]
    pub output: Option<String>,
    /// Platform to pull from a multi-platform image [default: this machine's]
    #[arg(
        long,
        value_name = "OS/ARCH[/VARIANT]",
        conflicts_with = "all_platforms"
    )]
    pub platform: Option<String>,
    /// Pull every platform of a multi-platform image (OCI layout only)
    #[arg(long)]
    pub all_platforms: bool,
    /// Blobs downloaded at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JOBS as u16,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Pull the tag without verifying its signature (warns)
    #[arg(long)]
    pub disable_content_trust: bool,
    #[command(flatten)]
    pub pin: PinArgs,
}

type BlobState = (String, u64, Option<ProgressBar>, bool);

/// Progress on stderr: a bar per blob on a terminal, a line per finished blob otherwise,
/// nothing with `-q`.
struct Progress {
    quiet: bool,
    bars: Option<MultiProgress>,
    /// Per blob: short id, size, its bar (terminal), whether it is reported done.
    state: Mutex<Vec<BlobState>>,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        let bars = (!quiet && std::io::stderr().is_terminal())
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress {
            quiet,
            bars,
            state: Mutex::new(Vec::new()),
        }
    }
}

impl Reporter for Progress {
    fn message(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bars {
            Some(m) => {
                let _ = m.println(text);
            }
            None => eprintln!("{text}"),
        }
    }

    fn start(&self, blobs: &[(String, u64)]) {
        let mut state = self.state.lock().unwrap();
        *state = blobs
            .iter()
            .map(|(id, size)| {
                let bar = self.bars.as_ref().map(|m| {
                    let b = m.add(ProgressBar::new(*size));
                    b.set_style(
                        ProgressStyle::with_template(
                            "{prefix}: {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
                        )
                        .expect("template"),
                    );
                    b.set_prefix(id.clone());
                    b
                });
                (id.clone(), *size, bar, false)
            })
            .collect();
    }

    fn progress(&self, i: usize, bytes: u64) {
        let mut state = self.state.lock().unwrap();
        let Some((id, size, bar, done)) = state.get_mut(i) else {
            return;
        };
        if let Some(b) = bar {
            b.set_position(bytes);
            if bytes >= *size && !*done {
                *done = true;
                b.finish();
            }
        } else if bytes >= *size && !*done && !self.quiet {
            *done = true;
            eprintln!("{id}: Pull complete");
        }
    }

    fn finish(&self) {
        let state = self.state.lock().unwrap();
        for (_, _, bar, _) in state.iter() {
            if let Some(b) = bar {
                b.abandon();
            }
        }
    }
}

pub fn pull(ctx: &mut Ctx, args: PullArgs) -> Result<()> {
    let reference = Reference::parse(&args.image)?;
    let output = args.output.as_deref().map(Output::parse).transpose()?;
    let platforms = match (&args.platform, args.all_platforms) {
        (Some(p), _) => Platforms::One(Platform::parse(p)?),
        (None, true) => Platforms::All,
        (None, false) => Platforms::One(Platform::host()),
    };
    if args.all_platforms && output.is_none() {
        return Err(Error::invalid(
            "--all-platforms needs --output oci:DIR (the Docker engine keeps one platform)",
        ));
    }
    let familiar = reference.familiar_name();
    let pinned = reference.digest().map(str::to_string);
    let tag = match (reference.tag(), &pinned) {
        (Some(t), _) => Some(t.to_string()),
        (None, Some(_)) => None,
        (None, None) => {
            ctx.progress("Using default tag: latest");
            Some("latest".to_string())
        }
    };

    // What to fetch: the signed digest and size, or (unverified) the tag, or a digest the user
    // pinned (verified against itself; Docker skips trust for digest references too).
    let (what, size) = if let Some(d) = &pinned {
        (d.clone(), None)
    } else if args.disable_content_trust {
        ctx.warn(&format!(
            "--disable-content-trust: {familiar}:{} is pulled WITHOUT signature verification",
            tag.as_deref().unwrap_or_default()
        ));
        (tag.clone().unwrap_or_default(), None)
    } else {
        let tag = tag.as_deref().unwrap_or_default();
        let pin = super::trust::pinning(ctx, &args.pin)?;
        let server = ctx.server.clone();
        let trust_dir = ctx.trust_dir.clone();
        let opts = ReadOptions {
            http: ctx.http()?,
            trust_dir: &trust_dir,
            server: server.as_deref(),
            pinning: &pin,
        };
        let repo = trust::load(&opts, &reference, &args.image)?;
        for w in &repo.warnings {
            ctx.warn(w);
        }
        let resolved = trust::resolve(&repo, tag)?;
        let digest = resolved.digest_string();
        ctx.out(&format!("Pull (1 of 1): {familiar}:{tag}@{digest}\n"))?;
        let size = u64::try_from(resolved.size)
            .map_err(|_| Error::Verification(format!("{tag} is signed with a negative size")))?;
        (digest, Some(size))
    };

    let Some(output) = output else {
        return engine(
            ctx,
            &familiar,
            &what,
            tag.as_deref(),
            pinned.is_some() || !args.disable_content_trust,
        );
    };

    let quiet = ctx.quiet;
    let jobs = usize::from(args.jobs);
    let http = ctx.http()?;
    let registry = Registry::new(http, &reference)?;
    let fetched = pull::fetch_manifests(&registry, &what, size, &platforms)?;
    let reporter = Progress::new(quiet);
    let signed = format!("sha256:{}", hex::encode(fetched.signed.digest));
    let (dest, shown) = match &output {
        Output::Oci { dir, name } => {
            let name = name
                .clone()
                .or_else(|| tag.clone())
                .unwrap_or_else(|| signed.clone());
            pull::write_oci(&registry, &fetched, dir, &name, jobs, &reporter)?;
            (
                format!("oci:{}:{name}", dir.display()),
                format!("sha256:{}", hex::encode(fetched.target.digest)),
            )
        }
        Output::DockerArchive(file) => {
            let repo_tag = tag.as_ref().map(|t| format!("{familiar}:{t}"));
            pull::write_docker_archive(
                &registry,
                &fetched,
                file,
                repo_tag.as_deref(),
                jobs,
                &reporter,
            )?;
            let image = &fetched.images[0];
            (
                format!("docker-archive:{}", file.display()),
                format!("sha256:{}", hex::encode(image.manifest.digest)),
            )
        }
    };
    let platform = fetched
        .target_platform
        .as_ref()
        .map(|p| format!(" ({p}, manifest {shown})"))
        .unwrap_or_default();
    ctx.progress(&format!("Digest: {signed}{platform}"));
    ctx.progress(&format!("Saved to {dest}"));
    Ok(())
}

/// Hands the verified digest to the Docker engine: `docker pull NAME@DIGEST`, then `docker tag`
/// with Docker's `Tagging` message. `docker` reads the same config dir (credentials).
fn engine(ctx: &mut Ctx, name: &str, what: &str, tag: Option<&str>, by_digest: bool) -> Result<()> {
    let docker = |args: &[&str]| {
        let mut c = Command::new("docker");
        c.args(args)
            .env("DOCKER_CONFIG", &ctx.config_dir)
            .env_remove("DOCKER_CONTENT_TRUST")
            .stdin(Stdio::null());
        c
    };
    let no_engine = |why: String| {
        Error::Network(format!(
            "no Docker engine is reachable ({why}): start the Docker daemon (or set DOCKER_HOST), \
             or write the image with --output oci:DIR or --output docker-archive:FILE"
        ))
    };
    let probe = docker(&["version", "--format", "{{.Server.Version}}"])
        .stdout(Stdio::null())
        .output();
    match probe {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Other(
                "the docker CLI is not installed: install it, or write the image with --output \
                 oci:DIR or --output docker-archive:FILE"
                    .into(),
            ));
        }
        Err(e) => return Err(no_engine(format!("cannot run docker: {e}"))),
        Ok(o) if !o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            let line = err
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("docker version failed")
                .trim()
                .to_string();
            return Err(no_engine(line));
        }
        Ok(_) => {}
    }
    let sep = if by_digest { '@' } else { ':' };
    let source = format!("{name}{sep}{what}");
    let status = docker(&["pull", &source])
        .status()
        .map_err(|e| Error::Other(format!("cannot run docker pull: {e}")))?;
    if !status.success() {
        return Err(Error::Other(format!(
            "docker pull {source} failed ({status})"
        )));
    }
    if let (true, Some(tag)) = (by_digest, tag) {
        let target = format!("{name}:{tag}");
        if !ctx.quiet {
            eprintln!("Tagging {source} as {target}");
        }
        let status = docker(&["tag", &source, &target])
            .status()
            .map_err(|e| Error::Other(format!("cannot run docker tag: {e}")))?;
        if !status.success() {
            return Err(Error::Other(format!(
                "docker tag {source} {target} failed ({status})"
            )));
        }
    }
    Ok(())
}
