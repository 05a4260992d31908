//! `dct push IMAGE:TAG --from oci:DIR[:REF]|docker-archive:FILE`: upload what the registry
//! lacks, put the manifest(s), then sign exactly the digest the registry holds now, with
//! Docker's push and push-with-trust messages. Without `--from`, `docker push` does the upload.

use std::process::Command;

use clap::Args;

use super::Ctx;
use super::sign::{SignArgs, sign};
use crate::error::{Error, Result};
use crate::push::{Plan, Source, from_docker_archive, from_oci};
use crate::reference::Reference;
use crate::remote::upload::{DEFAULT_CHUNK_SIZE, DEFAULT_JOBS, Outcome, Uploader};

#[derive(Debug, Args)]
pub struct PushArgs {
    /// Tag to push and sign, e.g. registry.example.com/app:v1
    #[arg(value_name = "IMAGE:TAG")]
    pub image: String,
    /// Where the image is: an OCI image layout or a `docker save` tarball [default: the Docker
    /// engine, via `docker push`]
    #[arg(long, value_name = "oci:DIR[:REF]|docker-archive:FILE")]
    pub from: Option<String>,
    /// Blobs uploaded at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JOBS)]
    pub jobs: usize,
    /// Blobs larger than this many bytes are uploaded in chunks of this size
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_CHUNK_SIZE, hide = true)]
    pub chunk_size: u64,
}

pub fn push(ctx: &mut Ctx, args: PushArgs) -> Result<()> {
    let reference = Reference::parse(&args.image)?;
    if reference.digest().is_some() {
        return Err(Error::invalid(format!(
            "cannot push a digest reference: {}",
            args.image
        )));
    }
    let tag = reference
        .tag()
        .ok_or_else(|| Error::invalid(format!("no tag specified for {}", args.image)))?
        .to_string();
    let (digest, size) = match &args.from {
        None => engine_push(ctx, &args.image)?,
        Some(from) => {
            let plan = match Source::parse(from)? {
                Source::Oci { dir, reference: r } => from_oci(&dir, r.as_deref(), &tag)?,
                Source::DockerArchive(file) => {
                    from_docker_archive(&file, &reference.familiar_string(), &tag)?
                }
            };
            upload(ctx, &reference, &args, plan)?
        }
    };
    let line = format!("{tag}: digest: {digest} size: {size}\n");
    ctx.out(&line)?;
    sign(
        ctx,
        SignArgs {
            images: vec![args.image.clone()],
            digest: Some(digest),
            size: Some(size),
            local: false,
        },
    )
}

/// Uploads `plan`; returns the digest (`sha256:…`) and size of the manifest under the tag.
fn upload(
    ctx: &mut Ctx,
    reference: &Reference,
    args: &PushArgs,
    plan: Plan,
) -> Result<(String, u64)> {
    let quiet = ctx.quiet;
    let http = ctx.http()?;
    let mut up = Uploader::new(http, reference)?;
    up.jobs = args.jobs.max(1);
    up.chunk_size = args.chunk_size;
    if !quiet {
        eprintln!("The push refers to repository [{}]", reference.name());
    }
    let done = |b: &crate::remote::upload::Blob, o: Outcome| {
        if !quiet {
            let short = b.digest.trim_start_matches("sha256:");
            let short = &short[..short.len().min(12)];
            match o {
                Outcome::Exists => eprintln!("{short}: Layer already exists"),
                Outcome::Pushed => eprintln!("{short}: Pushed"),
            }
        }
    };
    up.upload_blobs(&plan.blobs, &done)?;
    for m in &plan.children {
        up.put_manifest(&m.reference, &m.media_type, &m.bytes)?;
    }
    let digest = up.put_manifest(&plan.top.reference, &plan.top.media_type, &plan.top.bytes)?;
    Ok((
        format!("sha256:{}", hex::encode(digest)),
        plan.top.bytes.len() as u64,
    ))
}

/// `docker push IMAGE:TAG`, then the digest and size it printed (`TAG: digest: sha256:… size:
/// N`).
fn engine_push(ctx: &Ctx, image: &str) -> Result<(String, u64)> {
    let no_engine = |why: String| {
        Error::Other(format!(
            "cannot push {image} through the Docker engine ({why}): pass --from oci:DIR[:REF] or \
             --from docker-archive:FILE to push an image layout or a `docker save` tarball \
             directly"
        ))
    };
    let out = Command::new("docker")
        .arg("--config")
        .arg(&ctx.config_dir)
        .args(["push", image])
        .env_remove("DOCKER_CONTENT_TRUST")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| no_engine(format!("cannot run docker: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !ctx.quiet {
        eprint!("{stdout}");
    }
    if !out.status.success() {
        let why = stderr.trim();
        return Err(no_engine(if why.is_empty() {
            format!("docker push failed: {}", out.status)
        } else {
            why.to_string()
        }));
    }
    for line in stdout.lines().rev() {
        if let Some((_, rest)) = line.split_once(": digest: ")
            && let Some((d, s)) = rest.split_once(" size: ")
            && let Ok(size) = s.trim().parse::<u64>()
        {
            return Ok((d.trim().to_string(), size));
        }
    }
    Err(Error::Other(format!(
        "docker push {image} printed no digest: no targets found, provide a specific tag in order \
         to sign it"
    )))
}
