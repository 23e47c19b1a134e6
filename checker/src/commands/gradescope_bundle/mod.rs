//! `checker gradescope-bundle`: the zip Gradescope's autograder takes.
//!
//! Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh`
//! once to build its image, then `run_autograder` for every submission,
//! which finds the learner's files in `/autograder/submission` and must
//! leave `/autograder/results/results.json`. The zip holds:
//!
//! - `setup.sh`: installs a C linker and Rust where they are missing and
//!   builds the checker (and, to make grading quick, every dependency);
//! - `run_autograder`: grades the submission with `grade --submission`,
//!   from the pristine workspace below, and writes `results.json`;
//! - `workspace/`: this workspace as committed (`HEAD`, like `git
//!   archive`), so nothing uncommitted, ignored or built is shipped, with a
//!   `.cargo/config.toml` that replaces crates.io by `vendor/`;
//! - `vendor/`: every dependency, from `cargo vendor`, so that neither the
//!   image build nor grading needs the network.
//!
//! Both scripts take the `/autograder` root from `AUTOGRADER_ROOT` when it
//! is set, so a test (or a teacher) can run them anywhere.

mod zip;

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cli::Config;

const SETUP: &str = include_str!("setup.sh");
const RUN_AUTOGRADER: &str = include_str!("run_autograder");

/// The source replacement written into the bundle's workspace. The scripts
/// write it again with an absolute path (see `setup.sh`), so that cargo
/// finds the vendored crates whatever folder it runs from; this relative
/// one serves a teacher who unzips the bundle and runs cargo in
/// `workspace/` by hand.
const CARGO_CONFIG: &str = "\
# Written by `checker gradescope-bundle`: every dependency comes from the
# vendored copy beside this workspace, and cargo never goes online.
[source.crates-io]
replace-with = \"vendored-sources\"

[source.vendored-sources]
directory = \"../vendor\"

[net]
offline = true
";

/// A committed file: its path in the workspace and whether it is
/// executable.
struct Committed {
    path: String,
    executable: bool,
}

/// Writes the bundle to `out`.
pub fn run(config: &Config, out: &Path) -> Result<bool> {
    let root = &config.root;
    let stage = config.target_dir.join("checker").join("gradescope-bundle");
    if stage.exists() {
        std::fs::remove_dir_all(&stage)
            .with_context(|| format!("cannot clear {}", stage.display()))?;
    }
    let workspace = stage.join("workspace");
    std::fs::create_dir_all(&workspace)
        .with_context(|| format!("cannot create {}", workspace.display()))?;

    if !git(root, &["status", "--porcelain"])?.is_empty() {
        eprintln!(
            "note: the bundle holds the last commit (HEAD); what is not committed is left out."
        );
    }
    let committed = export_head(root, &workspace)?;
    if workspace.join(".cargo").exists() {
        bail!("the workspace has a .cargo folder of its own; the bundle needs to write one");
    }
    eprintln!("Vendoring the dependencies (cargo vendor)...");
    vendor(&stage)?;
    std::fs::create_dir_all(workspace.join(".cargo"))?;
    std::fs::write(workspace.join(".cargo/config.toml"), CARGO_CONFIG)?;

    eprintln!("Writing {}...", out.display());
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut archive = zip::Zip::new(BufWriter::new(file));
    let mut count = 0;
    let mut add = |name: &str, mode: u32, data: &[u8]| -> Result<()> {
        count += 1;
        archive
            .file(name, mode, data)
            .with_context(|| format!("cannot write {name} into {}", out.display()))
    };
    add("setup.sh", 0o755, SETUP.as_bytes())?;
    add("run_autograder", 0o755, RUN_AUTOGRADER.as_bytes())?;
    for file in &committed {
        let data = std::fs::read(workspace.join(&file.path))?;
        let mode = if file.executable { 0o755 } else { 0o644 };
        add(&format!("workspace/{}", file.path), mode, &data)?;
    }
    add(
        "workspace/.cargo/config.toml",
        0o644,
        CARGO_CONFIG.as_bytes(),
    )?;
    for path in files_under(&stage.join("vendor"))? {
        let relative = path.strip_prefix(&stage).expect("under the stage");
        let name = relative.to_string_lossy().replace('\\', "/");
        add(&name, 0o644, &std::fs::read(&path)?)?;
    }
    archive
        .finish()
        .with_context(|| format!("cannot write {}", out.display()))?;
    // The staged copy is in the zip now; it would only fill the disk.
    let _ = std::fs::remove_dir_all(&stage);
    let size = std::fs::metadata(out)?.len();
    println!(
        "Wrote {} ({count} files, {:.1} MB): the workspace at {}, its dependencies vendored.\n\
         On Gradescope, upload it as the autograder (Configure Autograder, zip file upload).\n\
         See docs/teaching.md.",
        out.display(),
        size as f64 / 1e6,
        git(root, &["rev-parse", "--short", "HEAD"])?.trim(),
    );
    Ok(true)
}

/// Runs git in `root` and returns its stdout.
fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run git: the bundle takes the committed workspace, so it needs git")?;
    if !output.status.success() {
        bail!(
            "`git {}` failed in {}: the bundle needs this workspace as a git repository with a \
             commit\n{}",
            args.join(" "),
            root.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Writes every file committed at `HEAD` under `to`, as `git archive HEAD`
/// would: links and submodules are left out.
fn export_head(root: &Path, to: &Path) -> Result<Vec<Committed>> {
    let listing = git(root, &["ls-tree", "-r", "-z", "--full-tree", "HEAD"])?;
    let mut files = Vec::new();
    for record in listing.split('\0').filter(|r| !r.is_empty()) {
        // `<mode> <type> <object>\t<path>`
        let Some((meta, path)) = record.split_once('\t') else {
            bail!("unexpected `git ls-tree` line: {record}");
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some("blob"), Some(object)) = (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        if mode != "100644" && mode != "100755" {
            continue;
        }
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["cat-file", "blob", object])
            .stdin(Stdio::null())
            .output()
            .context("cannot run git")?;
        if !output.status.success() {
            bail!("cannot read {path} from git");
        }
        let dest = to.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&dest, &output.stdout)
            .with_context(|| format!("cannot write {}", dest.display()))?;
        files.push(Committed {
            path: path.to_string(),
            executable: mode == "100755",
        });
    }
    if files.is_empty() {
        bail!("HEAD holds no files");
    }
    Ok(files)
}

/// `cargo vendor` of the exported workspace into `stage/vendor`, with the
/// versions its lock file names.
fn vendor(stage: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["vendor", "--locked", "--versioned-dirs", "--manifest-path"])
        .arg(stage.join("workspace/Cargo.toml"))
        .arg(stage.join("vendor"))
        .current_dir(stage)
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo vendor")?;
    if !output.status.success() {
        bail!(
            "cargo vendor failed:\n{}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Every file under `dir`, sorted, so the zip is the same from run to run.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in
            std::fs::read_dir(&next).with_context(|| format!("cannot read {}", next.display()))?
        {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}
