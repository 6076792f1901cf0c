//! Frontend code generated from a synthesized backend's cloud assembly:
//!
//! - `ampx generate types`: [`schema_ts`] writes `amplify_data_schema.ts`, whose
//!   `Schema` type `generateClient<Schema>()` takes.
//! - `ampx generate graphql-client-code`: [`statements`] writes every query,
//!   mutation and subscription as GraphQL documents, and for TypeScript, typed
//!   documents with their `API.ts` types (as Amplify's command does).
//!
//! Both read the assembly only ([`source`]): the model introspection and the API's
//! GraphQL schema, which any backend program's assembly holds.

pub mod api_types;
pub mod client_code;
pub mod introspection;
pub mod schema_ts;
pub mod sdl;
pub mod source;
pub mod statements;
mod ts;

use std::path::{Path, PathBuf};

use crate::errors::{Error, Result};

/// Writes `amplify_data_schema.ts` for the assembly in `assembly_dir` into `out_dir`
/// and returns its path.
///
/// # Errors
///
/// [`Error::Assembly`] when the assembly has no data API or the schema cannot be
/// expressed; [`Error::Io`] when the file cannot be written.
pub fn generate_types(assembly_dir: &Path, out_dir: &Path) -> Result<PathBuf> {
    write_types_if_data(assembly_dir, out_dir)?.ok_or_else(|| no_data_api(assembly_dir))
}

/// Like [`generate_types`], for the sandbox's every deployment: `None` (and no
/// file) when the backend has no data API. An unchanged file is not rewritten, so
/// a frontend's watcher does not reload for nothing.
///
/// # Errors
///
/// As [`generate_types`].
pub fn write_types_if_data(assembly_dir: &Path, out_dir: &Path) -> Result<Option<PathBuf>> {
    let Some(api) = source::read(assembly_dir)? else { return Ok(None) };
    let text = schema_ts::render(&api.introspection, &api.sdl)
        .map_err(|reason| Error::Assembly { dir: assembly_dir.to_path_buf(), reason })?;
    write(out_dir, schema_ts::FILE_NAME, &text).map(Some)
}

/// Writes the GraphQL statements (and for TypeScript, `API.ts`) for the assembly in
/// `assembly_dir` into `out_dir`; returns the paths written.
///
/// # Errors
///
/// As [`generate_types`].
pub fn generate_graphql_client_code(
    assembly_dir: &Path,
    out_dir: &Path,
    options: &statements::Options,
) -> Result<Vec<PathBuf>> {
    let api = source::read(assembly_dir)?.ok_or_else(|| no_data_api(assembly_dir))?;
    client_code::files(&api.sdl, options).iter().map(|(name, text)| write(out_dir, name, text)).collect()
}

fn no_data_api(assembly_dir: &Path) -> Error {
    Error::Assembly {
        dir: assembly_dir.to_path_buf(),
        reason: format!(
            "no stack has the {} output, so the backend has no data API to generate code for; add one with \
             define_data(...) and synthesize again",
            amplify_backend::outputs::MODEL_INTROSPECTION_OUTPUT
        ),
    }
}

/// Writes `text` to `dir/name` unless it already holds it, creating `dir`; returns
/// the path.
fn write(dir: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(path);
    }
    std::fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))?;
    std::fs::write(&path, text).map_err(Error::io("cannot write", &path))?;
    Ok(path)
}
