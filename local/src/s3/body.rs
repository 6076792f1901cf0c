//! Object bytes in and out: a request body streamed into a new blob file
//! (with its MD5 and length), and a byte range of a blob streamed out.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use base64::Engine;
use bytes::Bytes;
use futures_util::StreamExt;
use md5::{Digest, Md5};
use s3s::dto::StreamingBlob;
use s3s::{s3_error, S3Error, S3Result};
use tokio::io::AsyncWriteExt;

/// How much of a blob one chunk of a response body holds.
const CHUNK: usize = 256 * 1024;

/// What was written.
#[derive(Debug)]
pub struct Written {
    /// Bytes written.
    pub size: u64,
    /// Their MD5, in hex.
    pub md5_hex: String,
}

fn io_error(path: &Path, e: std::io::Error) -> S3Error {
    S3Error::with_message(s3s::S3ErrorCode::InternalError, format!("local object store, {}: {e}", path.display()))
}

/// Streams `body` into a new file at `path` and syncs it. A `Content-MD5`
/// that does not match the bytes fails with `BadDigest` (and no file).
pub async fn write_blob(path: &Path, body: Option<StreamingBlob>, content_md5: Option<&str>) -> S3Result<Written> {
    let mut file = tokio::fs::File::create(path).await.map_err(|e| io_error(path, e))?;
    let mut md5 = Md5::new();
    let mut size = 0u64;
    let mut failure = None;
    if let Some(mut body) = body {
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(bytes) => {
                    md5.update(&bytes);
                    size += bytes.len() as u64;
                    if let Err(e) = file.write_all(&bytes).await {
                        failure = Some(io_error(path, e));
                        break;
                    }
                }
                Err(e) => {
                    failure = Some(s3_error!(IncompleteBody, "the request body could not be read: {e}"));
                    break;
                }
            }
        }
    }
    if failure.is_none() {
        if let Err(e) = file.sync_all().await {
            failure = Some(io_error(path, e));
        }
    }
    let digest = md5.finalize();
    if failure.is_none() {
        if let Some(expected) = content_md5 {
            if base64::engine::general_purpose::STANDARD.encode(digest) != expected.trim() {
                failure = Some(s3_error!(BadDigest, "The Content-MD5 you specified did not match what we received."));
            }
        }
    }
    if let Some(e) = failure {
        drop(file);
        let _ = tokio::fs::remove_file(path).await;
        return Err(e);
    }
    Ok(Written { size, md5_hex: hex(&digest) })
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the concatenation of `parts` into a new file at `path` and syncs it.
pub async fn concatenate(path: PathBuf, parts: Vec<PathBuf>) -> S3Result<u64> {
    tokio::task::spawn_blocking(move || {
        let mut out = std::fs::File::create(&path).map_err(|e| io_error(&path, e))?;
        let mut size = 0;
        for part in &parts {
            let mut input = std::fs::File::open(part).map_err(|e| io_error(part, e))?;
            size += std::io::copy(&mut input, &mut out).map_err(|e| io_error(&path, e))?;
        }
        out.sync_all().map_err(|e| io_error(&path, e))?;
        Ok(size)
    })
    .await
    .map_err(S3Error::internal_error)?
}

/// Copies the file at `from` into a new file at `to` and syncs it.
pub async fn copy_blob(from: PathBuf, to: PathBuf) -> S3Result<u64> {
    concatenate(to, vec![from]).await
}

/// Streams bytes `start..end` of the file at `path`. A reader on the
/// blocking pool feeds a small channel, so a slow client holds at most a few
/// chunks in memory.
pub fn read_range(path: PathBuf, start: u64, end: u64) -> StreamingBlob {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let result = (|| {
            let mut file = std::fs::File::open(&path)?;
            file.seek(SeekFrom::Start(start))?;
            let mut left = end.saturating_sub(start);
            while left > 0 {
                let mut buf = vec![0; CHUNK.min(left as usize)];
                let n = file.read(&mut buf)?;
                if n == 0 {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the object's file is shorter than its record",
                    ));
                }
                buf.truncate(n);
                left -= n as u64;
                if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
                    return Ok(()); // the client went away
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            let _ = tx.blocking_send(Err(e));
        }
    });
    StreamingBlob::wrap(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) }))
}
