//! Publishing file assets (nested templates, function code, big templates) to the
//! bootstrap bucket. Keys are content hashes, so an object that is already there
//! is the same content and is skipped.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use aws_sdk_s3::operation::head_object::HeadObjectError;
use aws_sdk_s3::primitives::ByteStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::assembly::{FileAsset, Packaging};
use crate::aws::{Aws, OpResult};
use crate::bootstrap::Environment;
use crate::errors::{Error, Result};

/// Uploads at most this many assets at a time.
const PARALLEL_UPLOADS: usize = 4;

/// What publishing did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Published {
    /// Assets uploaded.
    pub uploaded: usize,
    /// Assets already in the bucket.
    pub skipped: usize,
}

/// Publishes every asset not already in its bucket.
pub async fn publish(aws: &Aws, env: &Environment, assets: &[FileAsset]) -> Result<Published> {
    // The same asset may be listed by several stacks; upload it once.
    let mut unique: BTreeMap<(String, String), FileAsset> = BTreeMap::new();
    for a in assets {
        unique.entry((env.resolve(&a.bucket), env.resolve(&a.object_key))).or_insert_with(|| a.clone());
    }
    let permits = Arc::new(Semaphore::new(PARALLEL_UPLOADS));
    let mut tasks = JoinSet::new();
    for ((bucket, key), asset) in unique {
        let (s3, permits) = (aws.s3.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            publish_one(&s3, &bucket, &key, &asset).await
        });
    }
    let mut published = Published::default();
    while let Some(joined) = tasks.join_next().await {
        let uploaded = joined.map_err(|e| Error::Synth(format!("an upload task failed: {e}")))??;
        if uploaded {
            published.uploaded += 1;
        } else {
            published.skipped += 1;
        }
    }
    Ok(published)
}

/// Uploads one asset unless it is there; says whether it uploaded.
async fn publish_one(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, asset: &FileAsset) -> Result<bool> {
    match s3.head_object().bucket(bucket).key(key).send().await {
        Ok(_) => return Ok(false),
        Err(e) if matches!(e.as_service_error(), Some(HeadObjectError::NotFound(_))) => {}
        Err(e) => return Err(crate::aws::aws_error("S3.HeadObject", &e)),
    }
    let source = asset.source.clone();
    let packaging = asset.packaging;
    let bytes = tokio::task::spawn_blocking(move || match packaging {
        Packaging::File => std::fs::read(&source).map_err(Error::io("cannot read the asset", &source)),
        Packaging::Zip => zip_dir(&source),
    })
    .await
    .map_err(|e| Error::Synth(format!("packaging {} failed: {e}", asset.display_name)))??;
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(bytes))
        .content_type(if key.ends_with(".json") { "application/json" } else { "application/zip" })
        .send()
        .await
        .op("S3.PutObject")?;
    Ok(true)
}

/// Zips a directory reproducibly: entries sorted, timestamps fixed, so the same
/// files always give the same bytes (and Lambda sees no spurious code change).
pub fn zip_dir(dir: &Path) -> Result<Vec<u8>> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files).map_err(Error::io("cannot read the asset directory", dir))?;
    files.sort();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let zip_err = |e: zip::result::ZipError| Error::Synth(format!("cannot zip {}: {e}", dir.display()));
    for rel in files {
        let path = dir.join(&rel);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(mode(&path));
        zip.start_file(rel.as_str(), options).map_err(zip_err)?;
        let bytes = std::fs::read(&path).map_err(Error::io("cannot read", &path))?;
        zip.write_all(&bytes).map_err(Error::io("cannot zip", &path))?;
    }
    let cursor = zip.finish().map_err(zip_err)?;
    Ok(cursor.into_inner())
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Keeps the executable bit (for Lambda custom runtimes); everything else is 0644.
fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0) {
            return 0o755;
        }
    }
    let _ = path;
    0o644
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_are_reproducible_and_complete() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("lib")).unwrap();
        std::fs::write(dir.path().join("index.js"), "exports.handler = async () => 1;").unwrap();
        std::fs::write(dir.path().join("lib/util.js"), "module.exports = 2;").unwrap();
        let a = zip_dir(dir.path()).unwrap();
        let b = zip_dir(dir.path()).unwrap();
        assert_eq!(a, b);
        let archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["index.js", "lib/util.js"]);
    }
}
