//! Regenerating from the pinned schemas gives byte-identical files: the committed
//! `cfn-types` code (modules, features, test samples) is exactly what the
//! generator writes. Generates into a temporary copy, then compares.

use std::path::PathBuf;

fn schemas_dir() -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    cfn_types_codegen::pinned::schemas_dir(&workspace).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn committed_code_is_what_the_pinned_schemas_generate() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = cfn_types_codegen::generate(&schemas_dir()).expect("generation");

    // Write into a temporary directory, and compare with the committed files byte
    // for byte; `check` also finds committed files the generator no longer writes
    // and a stale `[features]` table.
    let tmp = std::env::temp_dir().join(format!("cfn-types-regen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::copy(crate_dir.join("Cargo.toml"), tmp.join("Cargo.toml")).unwrap();
    cfn_types_codegen::write(&tmp, &output).expect("write");
    let mut differences = Vec::new();
    for path in output.files.keys() {
        let fresh = std::fs::read(tmp.join(path)).unwrap();
        match std::fs::read(crate_dir.join(path)) {
            Ok(committed) if committed == fresh => {}
            Ok(_) => differences.push(format!("{} differs", path.display())),
            Err(_) => differences.push(format!("{} is missing", path.display())),
        }
    }
    differences.extend(cfn_types_codegen::check(&crate_dir, &output).expect("check"));
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        differences.is_empty(),
        "the generated code is stale; run `cargo run -p cfn-types-codegen -- <schemas>`:\n{}",
        differences.join("\n")
    );
    assert_eq!(output.resource_types, 1854);
}
