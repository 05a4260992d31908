//! Finding image references in deploy files without re-serialising them: a line-oriented
//! scanner for the YAML that Docker Compose files and Kubernetes manifests are written in, and
//! one for Dockerfile `FROM` lines. Each reference comes with the byte span of its value in the
//! file, so it can be replaced there and nothing else changes.
//!
//! # YAML: what is read, and the limits
//!
//! Block mappings and block sequences by indentation (spaces), `key: value` pairs with plain,
//! `"double"` or `'single'` quoted keys and values, `- ` list items (also `- key: value` and
//! items at the same indentation as their key), comments (whole-line, and ` #` after a value),
//! several documents (`---`, `...`), `%` directives. Block scalars (`|`, `>`), flow
//! collections (`{…}`, `[…]`) and quoted values spanning lines are skipped over as values.
//!
//! An `image:` value counts as an image reference when it is
//! * in a Compose file: `services.<name>.image` in a document with top-level `services`;
//! * in a Kubernetes manifest: `image` of an item of `containers`, `initContainers` or
//!   `ephemeralContainers`, in a document whose top-level `kind` is `Pod`, `Deployment`,
//!   `StatefulSet`, `DaemonSet`, `ReplicaSet`, `ReplicationController`, `Job`, `CronJob` or
//!   `PodTemplate`.
//!
//! Such a value must be a single-line plain or quoted scalar; anything else there — an anchor
//! or alias, a tag, a block or flow value, a value continued on the next line — is reported as
//! unreadable rather than skipped, so that a check never passes an image it did not see.
//! Not read: tabs as indentation, `kind: List` items, JSON-style documents, templates that
//! are not YAML yet (Helm charts before `helm template`).
//!
//! # Dockerfiles
//!
//! `FROM [--flag…] IMAGE [AS NAME]`, keyword in any case, with `\` (or the `# escape=`
//! directive's character) continuing lines and comment lines inside an instruction. `scratch`
//! and earlier stage names are not images; a reference using a build argument (`$…`) is
//! reported as unreadable.

use std::ops::Range;

/// How a value is written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// Plain.
    None,
    /// In `"double quotes"`.
    Double,
    /// In `'single quotes'`.
    Single,
}

/// An image reference found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// 1-based line of the value.
    pub line: usize,
    /// The value's bytes in the file, quotes included.
    pub span: Range<usize>,
    /// How it is written, so that the replacement is written the same way.
    pub quote: Quote,
    /// The reference, or why the value cannot be read as one.
    pub image: Result<String, String>,
}

impl Found {
    /// The text to put at `span` for the reference `image` in the same quoting.
    pub fn replacement(&self, image: &str) -> String {
        match self.quote {
            Quote::None => image.to_string(),
            Quote::Double => format!("\"{image}\""),
            Quote::Single => format!("'{image}'"),
        }
    }
}

/// Kubernetes kinds whose pod specs hold containers.
const POD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "PodTemplate",
];

const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// One level of the block structure: a mapping key, or a sequence item (`-`).
#[derive(Debug, Clone)]
struct Level {
    col: usize,
    /// `None` for a sequence item.
    key: Option<String>,
    /// A key with a scalar value: deeper lines continue that value.
    leaf: bool,
}

/// An `image:` value, before the document says whether it is a Compose or Kubernetes one; or
/// a flow collection (`flow`), which this scanner does not read.
struct Candidate {
    path: Vec<Option<String>>,
    found: Found,
    flow: bool,
}

/// What the scanner is in the middle of, across lines.
enum Mode {
    Normal,
    /// A block scalar: lines indented deeper than `col` (or blank) belong to it.
    Block {
        col: usize,
    },
    /// A flow collection not closed yet.
    Flow {
        depth: usize,
    },
    /// A quoted scalar not closed yet.
    Quoted {
        quote: u8,
    },
}

/// A mapping value as written on its key's line.
enum Value {
    /// Nothing but maybe a comment: the value is the block below.
    Nested,
    /// A block scalar (`|`, `>`).
    Block,
    /// A flow collection, `depth` brackets still open at the end of the line.
    Flow { depth: usize },
    /// An anchor, alias or tag (`what` it is) in front of the value.
    Property(&'static str),
    /// A quoted scalar not closed on this line.
    OpenQuote(u8),
    /// A plain or quoted scalar on this line: its text (or why it cannot be unquoted), the end
    /// of its span (after the closing quote) and its quoting.
    Scalar {
        text: Result<String, String>,
        end: usize,
        quote: Quote,
    },
}

impl Value {
    /// The value starting at `v` of `line`.
    fn at(line: &str, v: usize) -> Value {
        let bytes = line.as_bytes();
        match bytes.get(v) {
            None | Some(b'#') => Value::Nested,
            Some(b'|' | b'>') => Value::Block,
            Some(b'{' | b'[') => Value::Flow {
                depth: flow_depth(&bytes[v..], 0),
            },
            Some(b'&') => Value::Property("an anchor"),
            Some(b'*') => Value::Property("an alias"),
            Some(b'!') => Value::Property("a tag"),
            Some(&q @ (b'"' | b'\'')) => match closing_quote(bytes, v + 1, q) {
                Some(end) => {
                    let quote = if q == b'"' {
                        Quote::Double
                    } else {
                        Quote::Single
                    };
                    Value::Scalar {
                        text: unquote(&line[v + 1..end], quote),
                        end: end + 1,
                        quote,
                    }
                }
                None => Value::OpenQuote(q),
            },
            Some(_) => {
                let end = plain_end(bytes, v);
                Value::Scalar {
                    text: Ok(line[v..end].to_string()),
                    end,
                    quote: Quote::None,
                }
            }
        }
    }
}

/// The image references of a YAML file (Compose or Kubernetes, any number of documents), in
/// file order.
pub fn yaml(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut doc = Doc::default();
    let mut mode = Mode::Normal;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        match mode {
            Mode::Block { col } => {
                if line.trim().is_empty() || indent(line) > col {
                    continue;
                }
                mode = Mode::Normal;
            }
            Mode::Flow { depth } => {
                mode = match flow_depth(line.as_bytes(), depth) {
                    0 => Mode::Normal,
                    d => Mode::Flow { depth: d },
                };
                continue;
            }
            Mode::Quoted { quote } => {
                if closing_quote(line.as_bytes(), 0, quote).is_some() {
                    mode = Mode::Normal;
                }
                continue;
            }
            Mode::Normal => {}
        }
        if line.starts_with("---")
            && line[3..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t')
            || line.starts_with("...") && line[3..].trim().is_empty()
        {
            out.extend(doc.finish());
            continue;
        }
        if line.starts_with('%') && doc.levels.is_empty() && doc.candidates.is_empty() {
            continue;
        }
        if let Some(next) = doc.line(i + 1, start, line) {
            mode = next;
        }
    }
    out.extend(doc.finish());
    out.sort_by_key(|f| f.span.start);
    out
}

#[derive(Default)]
struct Doc {
    levels: Vec<Level>,
    candidates: Vec<Candidate>,
    has_services: bool,
    kind: Option<String>,
}

impl Doc {
    /// The image references of the document that ends here: `image` values where the
    /// document's kind keeps them, and flow collections where an image could hide (reported as
    /// unreadable).
    fn finish(&mut self) -> Vec<Found> {
        let doc = std::mem::take(self);
        let k8s = doc.kind.as_deref().is_some_and(|k| POD_KINDS.contains(&k));
        let is = |p: Option<&Option<String>>, k: &str| p.is_some_and(|p| p.as_deref() == Some(k));
        let is_list = |p: Option<&Option<String>>| {
            p.is_some_and(|p| p.as_deref().is_some_and(|k| CONTAINER_LISTS.contains(&k)))
        };
        doc.candidates
            .into_iter()
            .filter(|c| {
                let p = &c.path;
                let n = p.len();
                let back = |i: usize| n.checked_sub(i).map(|j| &p[j]);
                let compose_service = doc.has_services && is(p.first(), "services");
                if c.flow {
                    // A flow value as the services map, a service, a container list or item.
                    return compose_service && n <= 2
                        || k8s && (is_list(back(1)) || back(1) == Some(&None) && is_list(back(2)));
                }
                let compose = compose_service && n == 3 && p[1].is_some();
                let container = k8s && back(2) == Some(&None) && is_list(back(3));
                compose || container
            })
            .map(|c| c.found)
            .collect()
    }

    fn path(&self) -> Vec<Option<String>> {
        self.levels.iter().map(|l| l.key.clone()).collect()
    }

    /// Reads one content line; returns the mode the next lines are read in, if it changes.
    fn line(&mut self, lineno: usize, start: usize, line: &str) -> Option<Mode> {
        let bytes = line.as_bytes();
        let pos = indent(line);
        if pos >= bytes.len() || bytes[pos] == b'#' || self.continues_scalar(pos) {
            return None;
        }
        let pos = self.items(bytes, pos)?;
        match key_at(bytes, pos) {
            Some((key, after)) => self.entry(lineno, start, line, pos, key, after),
            None => self.keyless(lineno, start, bytes, pos),
        }
    }

    /// Whether a line indented to `pos` continues the scalar value of the innermost key. An
    /// `image` value continued so becomes unreadable: only its first line would be replaced.
    fn continues_scalar(&mut self, pos: usize) -> bool {
        let Some(leaf) = self.levels.last().filter(|l| l.leaf && pos > l.col) else {
            return false;
        };
        if leaf.key.as_deref() == Some("image")
            && let Some(c) = self.candidates.last_mut()
            && c.found.image.is_ok()
        {
            c.found.image = Err("the value continues on the next line".into());
        }
        true
    }

    /// Enters the sequence items (`- `, possibly several on one line) at `pos`; returns where
    /// the innermost item's content starts, or `None` if nothing but a comment follows.
    fn items(&mut self, bytes: &[u8], mut pos: usize) -> Option<usize> {
        while bytes.get(pos) == Some(&b'-') && matches!(bytes.get(pos + 1), None | Some(b' ')) {
            self.pop_while(|l| l.col > pos || (l.col == pos && l.key.is_none()));
            self.levels.push(Level {
                col: pos,
                key: None,
                leaf: false,
            });
            pos += 1;
            while bytes.get(pos) == Some(&b' ') {
                pos += 1;
            }
            if pos >= bytes.len() || bytes[pos] == b'#' {
                return None;
            }
        }
        Some(pos)
    }

    /// Content at `pos` without a key: a scalar item or something this scanner does not read.
    /// A flow collection is kept as a candidate, since an image may hide in it.
    fn keyless(&mut self, lineno: usize, start: usize, bytes: &[u8], pos: usize) -> Option<Mode> {
        match bytes[pos] {
            b'{' | b'[' => {
                self.flow(lineno, start + pos..start + bytes.len(), self.path());
                match flow_depth(&bytes[pos..], 0) {
                    0 => None,
                    d => Some(Mode::Flow { depth: d }),
                }
            }
            q @ (b'"' | b'\'') if closing_quote(bytes, pos + 1, q).is_none() => {
                Some(Mode::Quoted { quote: q })
            }
            _ => None,
        }
    }

    /// A `key: value` pair whose key starts at `pos` and whose `:` ends before `after`: the key
    /// becomes the innermost level, an `image` value a candidate, and a top-level `kind` or
    /// `services` says what kind of document this is.
    fn entry(
        &mut self,
        lineno: usize,
        start: usize,
        line: &str,
        pos: usize,
        key: String,
        after: usize,
    ) -> Option<Mode> {
        self.pop_while(|l| l.col >= pos);
        let top_level = self.levels.is_empty();
        let bytes = line.as_bytes();
        let mut v = after;
        while bytes.get(v) == Some(&b' ') {
            v += 1;
        }
        let to_end = v..bytes.len();
        let unreadable = |what: &str| {
            Err(format!(
                "cannot read this image value ({what}): write it as a plain or quoted scalar"
            ))
        };
        // What the value is: whether deeper lines would continue it (`leaf`), the mode of the
        // next lines, and what it says as an image reference.
        let (leaf, next, image) = match Value::at(line, v) {
            Value::Nested => (false, None, None),
            Value::Block => (
                false,
                Some(Mode::Block { col: pos }),
                Some((unreadable("a block scalar"), to_end, Quote::None)),
            ),
            Value::Flow { depth } => {
                if key != "image" {
                    let mut path = self.path();
                    path.push(Some(key.clone()));
                    self.flow(lineno, start + v..start + bytes.len(), path);
                }
                let next = (depth > 0).then_some(Mode::Flow { depth });
                let image = (unreadable("a flow collection"), to_end, Quote::None);
                (false, next, Some(image))
            }
            Value::Property(what) => (true, None, Some((unreadable(what), to_end, Quote::None))),
            Value::OpenQuote(quote) => {
                let what = "a quoted value spanning lines";
                let image = (unreadable(what), to_end, Quote::None);
                (true, Some(Mode::Quoted { quote }), Some(image))
            }
            Value::Scalar { text, end, quote } => {
                if top_level && key == "kind" {
                    self.kind = text.clone().ok();
                }
                (true, None, Some((text, v..end, quote)))
            }
        };
        if top_level && key == "services" {
            self.has_services = true;
        }
        if key == "image"
            && let Some((image, span, quote)) = image
        {
            let mut path = self.path();
            path.push(Some(key.clone()));
            let found = Found {
                line: lineno,
                span: start + span.start..start + span.end,
                quote,
                image,
            };
            self.candidates.push(Candidate {
                path,
                found,
                flow: false,
            });
        }
        self.levels.push(Level {
            col: pos,
            key: Some(key),
            leaf,
        });
        next
    }

    /// A flow collection at `path`: reported at the end if an image may be inside.
    fn flow(&mut self, line: usize, span: Range<usize>, path: Vec<Option<String>>) {
        self.candidates.push(Candidate {
            path,
            found: Found {
                line,
                span,
                quote: Quote::None,
                image: Err(
                    "cannot read a flow collection ({…} or […]) where container images \
                            are: write it in block style"
                        .into(),
                ),
            },
            flow: true,
        });
    }

    fn pop_while(&mut self, f: impl Fn(&Level) -> bool) {
        while self.levels.last().is_some_and(&f) {
            self.levels.pop();
        }
    }
}

fn indent(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// A mapping key at `pos`: its text and the position after its `:`. A plain key ends at the
/// first `:` followed by a space or the end of the line (not after ` #`, a comment).
fn key_at(bytes: &[u8], pos: usize) -> Option<(String, usize)> {
    let text = std::str::from_utf8(bytes).ok()?;
    if let q @ (b'"' | b'\'') = bytes[pos] {
        let end = closing_quote(bytes, pos + 1, q)?;
        let quote = if q == b'"' {
            Quote::Double
        } else {
            Quote::Single
        };
        let key = unquote(&text[pos + 1..end], quote).ok()?;
        let mut after = end + 1;
        while bytes.get(after) == Some(&b' ') {
            after += 1;
        }
        return (bytes.get(after) == Some(&b':')
            && matches!(bytes.get(after + 1), None | Some(b' ')))
        .then(|| (key, after + 1));
    }
    if matches!(
        bytes[pos],
        b'?' | b'{' | b'[' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`'
    ) {
        return None;
    }
    let mut i = pos;
    while i < bytes.len() {
        match bytes[i] {
            b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => {
                let key = text[pos..i].trim_end().to_string();
                return (!key.is_empty()).then_some((key, i + 1));
            }
            b'#' if i > pos && bytes[i - 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Where a plain scalar starting at `v` ends: before ` #` (a comment) or the end of the line,
/// trailing spaces excluded.
fn plain_end(bytes: &[u8], v: usize) -> usize {
    let mut end = bytes.len();
    for i in v..bytes.len() {
        if bytes[i] == b'#' && i > v && matches!(bytes[i - 1], b' ' | b'\t') {
            end = i;
            break;
        }
    }
    while end > v && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end
}

/// The index of the quote that closes a scalar opened before `from` (`""` escapes in neither:
/// `\"` in double quotes, `''` in single quotes).
fn closing_quote(bytes: &[u8], from: usize, q: u8) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == q => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The text of a quoted scalar; escapes other than `\"`, `\\`, `\/` and `''` are refused
/// (no image reference needs them).
fn unquote(inner: &str, quote: Quote) -> Result<String, String> {
    match quote {
        Quote::Single => Ok(inner.replace("''", "'")),
        Quote::None => Ok(inner.to_string()),
        Quote::Double => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some(e @ ('"' | '\\' | '/')) => out.push(e),
                    _ => return Err("an escape sequence in an image value".into()),
                }
            }
            Ok(out)
        }
    }
}

/// The nesting depth of flow brackets after `line`, starting at `depth` (quoted text ignored).
fn flow_depth(line: &[u8], mut depth: usize) -> usize {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            q @ (b'"' | b'\'') => match closing_quote(line, i + 1, q) {
                Some(end) => i = end,
                None => return depth,
            },
            b'#' if i > 0 && line[i - 1] == b' ' => return depth,
            _ => {}
        }
        i += 1;
    }
    depth
}

/// The `FROM` images of a Dockerfile, in file order.
pub fn dockerfile(text: &str) -> Vec<Found> {
    let escape = escape_char(text);
    let mut out = Vec::new();
    let mut stages: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let lines = line_spans(text);
    let mut i = 0;
    while i < lines.len() {
        let (start, end) = lines[i];
        let line = &text[start..end];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        // The instruction's physical lines (continuations; comment lines inside are skipped).
        let mut parts = vec![(start + (line.len() - trimmed.len()), end)];
        let mut open = continues(line, escape);
        while open && i + 1 < lines.len() {
            i += 1;
            let (s, e) = lines[i];
            if text[s..e].trim_start().starts_with('#') {
                continue;
            }
            parts.push((s, e));
            open = continues(&text[s..e], escape);
        }
        i += 1;
        let tokens = tokens(bytes, &parts, escape);
        let Some((kw, _)) = tokens.first() else {
            continue;
        };
        if !kw.eq_ignore_ascii_case("from") {
            continue;
        }
        let mut rest = tokens[1..].iter().skip_while(|(t, _)| t.starts_with("--"));
        let Some((image, span)) = rest.next() else {
            continue;
        };
        // An earlier stage's name is that stage, not an image (as in Docker); `scratch` is no
        // image either.
        let lower = image.to_ascii_lowercase();
        let is_image = lower != "scratch" && !stages.contains(&lower);
        if let (Some((as_kw, _)), Some((name, _))) = (rest.next(), rest.next())
            && as_kw.eq_ignore_ascii_case("as")
        {
            stages.push(name.to_ascii_lowercase());
        }
        if !is_image {
            continue;
        }
        let found = Found {
            line: line_of(&lines, span.start),
            span: span.clone(),
            quote: Quote::None,
            image: if image.contains('$') {
                Err("it uses a build argument: pin the argument's value instead".into())
            } else {
                Ok(image.clone())
            },
        };
        out.push(found);
    }
    out
}

/// The 1-based line holding byte `at`.
fn line_of(lines: &[(usize, usize)], at: usize) -> usize {
    lines.partition_point(|&(_, e)| e < at) + 1
}

/// (start, end) of every line, without its line break.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        out.push((offset, offset + line.len()));
        offset += raw.len();
    }
    out
}

/// The `# escape=` parser directive's character (`\` by default).
fn escape_char(text: &str) -> u8 {
    for line in text.lines() {
        let Some(d) = line.trim().strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = d.split_once('=') else {
            break;
        };
        if name.trim().eq_ignore_ascii_case("escape")
            && let Some(&c) = value.trim().as_bytes().first()
        {
            return c;
        }
    }
    b'\\'
}

/// Whether a line ends with the escape character (the instruction continues).
fn continues(line: &str, escape: u8) -> bool {
    line.trim_end().as_bytes().last() == Some(&escape)
}

/// The whitespace-separated words of an instruction's lines, each with its span in the file
/// (a trailing escape character is not a word).
fn tokens(bytes: &[u8], parts: &[(usize, usize)], escape: u8) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for &(s, e) in parts {
        let mut end = e;
        while end > s && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        if end > s && bytes[end - 1] == escape {
            end -= 1;
        }
        let mut i = s;
        while i < end {
            while i < end && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
            let from = i;
            while i < end && !matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
            if i > from {
                let word = String::from_utf8_lossy(&bytes[from..i]).into_owned();
                out.push((word, from..i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images(found: &[Found]) -> Vec<(usize, Result<String, String>)> {
        found.iter().map(|f| (f.line, f.image.clone())).collect()
    }

    fn ok(line: usize, s: &str) -> (usize, Result<String, String>) {
        (line, Ok(s.to_string()))
    }

    #[test]
    fn compose_services_only() {
        let text = "\
# a comment with image: no
version: '3.8'
x-common: &common
  image: not/a-service:1
services:
  web:
    image: nginx:1.25   # trailing comment
    ports: [\"80:80\"]
  db:
    <<: *common
    image: \"postgres:16\"
  cache:
    image: 'redis:7'
    command: |
      image: inside/a-block:1
  worker:
    build: .
volumes:
  data: {}
";
        let found = yaml(text);
        assert_eq!(
            images(&found),
            vec![
                ok(7, "nginx:1.25"),
                ok(11, "postgres:16"),
                ok(13, "redis:7")
            ]
        );
        assert_eq!(&text[found[0].span.clone()], "nginx:1.25");
        assert_eq!(&text[found[1].span.clone()], "\"postgres:16\"");
        assert_eq!(found[1].quote, Quote::Double);
        assert_eq!(&text[found[2].span.clone()], "'redis:7'");
        assert_eq!(found[2].replacement("x@y"), "'x@y'");
    }

    #[test]
    fn kubernetes_multi_document() {
        let text = "\
apiVersion: v1
kind: ConfigMap
data:
  image: not-an-image:1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: busybox:1.36
      containers:
        - name: app
          image: \"example.com/app:v1\"
          env:
            - name: image
              value: x
        - image: example.com/sidecar:v2 # first key of the item
          name: sidecar
      volumes:
      - name: v
        image: not/a-container:1
...
---
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: c
            image: alpine:3.19\r
---
kind: Pod
spec:
  ephemeralContainers:
  - name: d2
    image: 'x/y:z'
";
        let found = yaml(text);
        assert_eq!(
            images(&found),
            vec![
                ok(15, "busybox:1.36"),
                ok(18, "example.com/app:v1"),
                ok(22, "example.com/sidecar:v2"),
                ok(37, "alpine:3.19"),
                ok(43, "x/y:z"),
            ]
        );
        assert_eq!(&text[found[3].span.clone()], "alpine:3.19");
    }

    #[test]
    fn unreadable_image_values_are_reported() {
        let text = "\
kind: Pod
spec:
  containers:
  - name: a
    image: &img nginx:1
  - name: b
    image: *img
  - name: c
    image: >-
      nginx:1
  - name: d
    image: nginx
      :1
  - name: e
    image: \"nginx\\t\"
";
        let found = yaml(text);
        let lines: Vec<usize> = found.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![5, 7, 9, 12, 15]);
        assert!(found.iter().all(|f| f.image.is_err()), "{found:?}");
        // Flow style where images are: not read, so reported.
        for text in [
            "kind: Pod\nspec:\n  containers:\n  - {name: a, image: x}\n",
            "kind: Pod\nspec:\n  containers: [{name: a, image: x}]\n",
            "kind: Pod\nspec:\n  containers: [\n    {image: x}]\n",
            "services: {web: {image: x}}\n",
            "services:\n  web: {image: x}\n",
        ] {
            let found = yaml(text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].image.is_err(), "{text}");
        }
        // A flow value elsewhere is fine.
        assert!(yaml("kind: Pod\nspec:\n  containers:\n  - name: a\n    ports: [{containerPort: 80}]\n    image: x\n").iter().all(|f| f.image.is_ok()));
    }

    #[test]
    fn other_documents_and_keys_are_ignored() {
        assert!(yaml("image: nginx\n").is_empty());
        assert!(yaml("kind: Service\nspec:\n  containers:\n  - image: x\n").is_empty());
        assert!(yaml("services:\n  web:\n    deploy:\n      image: x\n").is_empty());
        // A quoted multi-line string that mentions image: is skipped.
        let text = "kind: Pod\nnote: \"a\n  image: b\"\nspec:\n  containers:\n  - image: c:1\n";
        assert_eq!(images(&yaml(text)), vec![ok(6, "c:1")]);
    }

    #[test]
    fn dockerfile_from_lines() {
        let text = "\
# syntax=docker/dockerfile:1
ARG BASE=alpine:3.19
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
RUN echo FROM not-this
from ${BASE}
FROM build AS test
FROM \\
  # a comment inside
  debian:12-slim \\
  as final
FROM scratch
FROM Build
";
        let found = dockerfile(text);
        let got: Vec<(usize, bool)> = found.iter().map(|f| (f.line, f.image.is_ok())).collect();
        assert_eq!(got, vec![(3, true), (5, false), (9, true)]);
        assert_eq!(
            found[1].image.as_ref().unwrap_err(),
            "it uses a build argument: pin the argument's value instead"
        );
        assert_eq!(found[0].image.as_deref(), Ok("golang:1.22"));
        assert_eq!(&text[found[2].span.clone()], "debian:12-slim");
        // A custom escape character.
        let text = "# escape=`\nFROM `\n  alpine:3.19\n";
        let found = dockerfile(text);
        assert_eq!(found[0].image.as_deref(), Ok("alpine:3.19"));
        assert_eq!(found[0].line, 3);
        // FROM x AS x: the stage has the image's name, it is still an image.
        let found = dockerfile("FROM alpine AS alpine\nFROM alpine\n");
        assert_eq!(found.len(), 1);
    }
}
