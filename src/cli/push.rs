//! `dct push IMAGE:TAG [--from oci:DIR[:REF]|docker-archive:FILE]`: upload, then sign.

use clap::Args;

use super::Ctx;
use crate::error::{Error, Result};
use crate::ops::push::{self, DEFAULT_CHUNK_SIZE, DEFAULT_JOBS, PushRequest, Source};
use crate::reference::{Reference, TagRef};

#[derive(Debug, Args)]
pub(crate) struct PushArgs {
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

pub(super) fn run(ctx: &mut Ctx, args: PushArgs) -> Result<()> {
    if Reference::parse(&args.image)?.digest().is_some() {
        return Err(Error::invalid(format!(
            "cannot push a digest reference: {}",
            args.image
        )));
    }
    let tag = TagRef::parse(&args.image)?;
    let source = match &args.from {
        None => Source::Engine,
        Some(from) => Source::parse(from)?,
    };
    let req = PushRequest {
        jobs: args.jobs,
        chunk_size: args.chunk_size,
        ..PushRequest::new(tag, source)
    };
    let done = push::push(&mut ctx.session, &*ctx.ui, &req)?;
    if ctx.json {
        return ctx.out_json(&serde_json::json!({
            "name": req.tag.gun(),
            "tag": req.tag.tag(),
            "digest": done.digest.to_string(),
            "size": done.size,
            "signed": super::signed_json(&done.signed),
        }));
    }
    let mut out = format!(
        "{}: digest: {} size: {}\n",
        req.tag.tag(),
        done.digest,
        done.size
    );
    for t in &done.signed {
        out.push_str(&format!("Successfully signed {}:{}\n", t.gun, t.tag));
    }
    ctx.out(&out)
}
