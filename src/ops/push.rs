//! `dct push IMAGE:TAG --from oci:DIR[:REF]|docker-archive:FILE`: upload what the registry
//! lacks, put the manifest(s), then sign exactly the digest the registry holds now, with
//! Docker's push and push-with-trust messages. Without `--from`, `docker push` does the upload.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::sign::{self, SignRequest, SignedTag};
use super::{Session, Ui};
use crate::error::{Error, Result};
use crate::oci::{BlobFile, Digest, ImageSource, archive, layout};
use crate::reference::TagRef;
pub use crate::remote::upload::{DEFAULT_CHUNK_SIZE, DEFAULT_JOBS};
use crate::remote::upload::{Outcome, Uploader};

/// Where `--from` reads the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `oci:DIR[:REF]`
    Oci {
        /// The layout.
        dir: PathBuf,
        /// The image's name in it.
        reference: Option<String>,
    },
    /// `docker-archive:FILE`
    DockerArchive(PathBuf),
    /// No `--from`: the Docker engine (`docker push`).
    Engine,
}

impl Source {
    /// `oci:DIR[:REF]` or `docker-archive:FILE`.
    pub fn parse(s: &str) -> Result<Source> {
        if let Some(rest) = s.strip_prefix("oci:") {
            let (dir, reference) = match rest.rsplit_once(':') {
                Some((d, r)) if !d.is_empty() && !r.contains('/') => (d, Some(r.to_string())),
                _ => (rest, None),
            };
            if dir.is_empty() {
                return Err(Error::invalid(format!("--from {s}: no directory")));
            }
            return Ok(Source::Oci {
                dir: PathBuf::from(dir),
                reference: reference.filter(|r| !r.is_empty()),
            });
        }
        if let Some(file) = s.strip_prefix("docker-archive:").filter(|f| !f.is_empty()) {
            return Ok(Source::DockerArchive(PathBuf::from(file)));
        }
        Err(Error::invalid(format!(
            "--from {s}: expected oci:DIR[:REF] or docker-archive:FILE"
        )))
    }
}

/// What `dct push` does.
#[derive(Debug, Clone)]
pub struct PushRequest {
    /// The tag to push and sign.
    pub tag: TagRef,
    /// Where the image is.
    pub source: Source,
    /// Blobs uploaded at once.
    pub jobs: usize,
    /// Blobs larger than this are uploaded in chunks of this size.
    pub chunk_size: u64,
}

impl PushRequest {
    /// A push of `tag` from `source` with the default parallelism and chunk size.
    pub fn new(tag: TagRef, source: Source) -> PushRequest {
        PushRequest {
            tag,
            source,
            jobs: DEFAULT_JOBS,
            chunk_size: DEFAULT_CHUNK_SIZE,
        }
    }
}

/// What `dct push` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOutcome {
    /// The digest the registry holds under the tag.
    pub digest: Digest,
    /// The manifest's size.
    pub size: u64,
    /// The signature made for it.
    pub signed: Vec<SignedTag>,
}

/// `dct push`: uploads the image (see the module docs), then signs the pushed digest as
/// `dct sign IMAGE:TAG --digest … --size …` would.
pub fn push(session: &mut Session, ui: &dyn Ui, req: &PushRequest) -> Result<PushOutcome> {
    let (digest, size) = match &req.source {
        Source::Engine => engine_push(session, ui, req.tag.as_typed())?,
        Source::Oci { dir, reference } => {
            let image = layout::read_image(dir, reference.as_deref(), req.tag.tag())?;
            upload(session, ui, req, image)?
        }
        Source::DockerArchive(file) => {
            let name = format!("{}:{}", req.tag.reference().familiar_name(), req.tag.tag());
            let image = archive::read_image(file, &name)?;
            upload(session, ui, req, image)?
        }
    };
    let signed = sign::sign(
        session,
        ui,
        &SignRequest {
            tags: vec![(req.tag.clone(), None)],
            digest: Some((digest, size)),
            local: false,
        },
    )?;
    Ok(PushOutcome {
        digest,
        size,
        signed,
    })
}

/// Uploads `image`; returns the digest and size of the manifest under the tag.
fn upload(
    session: &mut Session,
    ui: &dyn Ui,
    req: &PushRequest,
    image: ImageSource,
) -> Result<(Digest, u64)> {
    let http = session.http()?;
    let reference = req.tag.reference();
    let mut up = Uploader::new(http, reference)?;
    up.jobs = req.jobs.max(1);
    up.chunk_size = req.chunk_size;
    ui.progress(&format!(
        "The push refers to repository [{}]",
        reference.name()
    ));
    let transfers = ui.transfers(super::Direction::Upload);
    let shown: Vec<(String, u64)> = image
        .blobs
        .iter()
        .map(|b: &BlobFile| (b.digest.short(), b.size))
        .collect();
    transfers.start(&shown);
    let done = |i: usize, o: Outcome| match o {
        Outcome::Exists => transfers.done(i, "Layer already exists"),
        Outcome::Pushed => transfers.done(i, "Pushed"),
    };
    let result = up.upload_blobs(&image.blobs, &|i, n| transfers.progress(i, n), &done);
    transfers.finish();
    result?;
    for m in &image.children {
        up.put_manifest(&m.digest.to_string(), &m.media_type, &m.bytes)?;
    }
    let digest = up.put_manifest(req.tag.tag(), &image.top.media_type, &image.top.bytes)?;
    Ok((digest, image.top.size()))
}

/// `docker push IMAGE:TAG`, then the digest and size it printed (`TAG: digest: sha256:… size:
/// N`).
fn engine_push(session: &Session, ui: &dyn Ui, image: &str) -> Result<(Digest, u64)> {
    let no_engine = |why: String| {
        Error::Other(format!(
            "cannot push {image} through the Docker engine ({why}): pass --from oci:DIR[:REF] or \
             --from docker-archive:FILE to push an image layout or a `docker save` tarball \
             directly"
        ))
    };
    let out = Command::new("docker")
        .arg("--config")
        .arg(session.config_dir())
        .args(["push", image])
        .env_remove("DOCKER_CONTENT_TRUST")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| no_engine(format!("cannot run docker: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stdout.lines() {
        ui.progress(line);
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
            && let Some(d) = Digest::parse(d.trim())
        {
            return Ok((d, size));
        }
    }
    Err(Error::Other(format!(
        "docker push {image} printed no digest: no targets found, provide a specific tag in order \
         to sign it"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert_eq!(
            Source::parse("oci:/tmp/x:v1").unwrap(),
            Source::Oci {
                dir: "/tmp/x".into(),
                reference: Some("v1".into())
            }
        );
        assert_eq!(
            Source::parse("oci:dir").unwrap(),
            Source::Oci {
                dir: "dir".into(),
                reference: None
            }
        );
        assert_eq!(
            Source::parse("docker-archive:a.tar").unwrap(),
            Source::DockerArchive("a.tar".into())
        );
        assert!(Source::parse("dir:x").is_err());
        assert!(Source::parse("oci:").is_err());
    }
}
