//! `rsrender-meshgen`: writes test and benchmark meshes of any size (no
//! downloads): a subdivided, optionally displaced icosphere, or a terrain
//! height field, as `.obj`, `.ply` or `.stl` by the output's extension.
//!
//! Usage: `rsrender-meshgen icosphere --levels 7 --bumps 0.05 big.ply`
//!        `rsrender-meshgen terrain --cells 700 --height 0.2 terrain.stl`

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use rsrender::geometry::mesh::generate::{self, PlyEncoding};
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(name = "rsrender-meshgen", version, about = "Writes generated meshes for rsrender tests and benchmarks")]
struct Cli {
    #[command(subcommand)]
    shape: Shape,
    /// PLY encoding
    #[arg(long, value_enum, default_value = "little", global = true)]
    ply: PlyEncoding,
    /// Write STL as text instead of binary
    #[arg(long, global = true)]
    stl_ascii: bool,
}

#[derive(Subcommand)]
enum Shape {
    /// Unit sphere of 20·4^levels triangles
    Icosphere {
        #[arg(long, default_value_t = 4)]
        levels: u32,
        /// Radial displacement, as a fraction of the radius
        #[arg(long, default_value_t = 0.0)]
        bumps: f32,
        output: PathBuf,
    },
    /// Height field over [-1, 1]² of 2·cells² triangles
    Terrain {
        #[arg(long, default_value_t = 100)]
        cells: u32,
        #[arg(long, default_value_t = 0.2)]
        height: f32,
        output: PathBuf,
    },
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rsrender-meshgen: error: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let (mesh, output) = match cli.shape {
        Shape::Icosphere { levels, bumps, output } => {
            if levels > 11 {
                bail!("--levels {levels} would make {} triangles; 11 is the most", 20u64 << (2 * levels));
            }
            (generate::icosphere(levels, bumps), output)
        }
        Shape::Terrain { cells, height, output } => (generate::terrain(cells.max(1), height), output),
    };
    write(&mesh, &output, cli.ply, !cli.stl_ascii).with_context(|| format!("cannot write {}", output.display()))?;
    println!(
        "rsrender-meshgen: wrote {}: {} triangles, {} vertices",
        output.display(),
        mesh.triangles.len(),
        mesh.positions.len()
    );
    Ok(())
}

fn write(mesh: &rsrender::geometry::mesh::Mesh, path: &Path, ply: PlyEncoding, stl_binary: bool) -> Result<()> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("obj") => generate::write_obj(mesh, path)?,
        Some("ply") => generate::write_ply(mesh, path, ply)?,
        Some("stl") => generate::write_stl(mesh, path, stl_binary)?,
        _ => bail!("unknown mesh format; use .obj, .ply or .stl"),
    }
    Ok(())
}
