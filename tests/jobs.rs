//! The job scripts, run here as the scheduler would run them: the scheduler's
//! variables set, `srun` played by mpirun, `sbatch` and `qsub` recorded. A
//! job renders its image; a job told to stop (SIGUSR1 to the batch shell, as
//! `--signal=B:USR1@120` does) leaves a checkpoint, resubmits itself, and the
//! next job resumes and finishes.

mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CORNELL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenes/cornell.toml");

/// A directory with fake scheduler commands, and the job's working directory.
struct Site {
    bin: tempfile::TempDir,
    work: tempfile::TempDir,
}

fn site() -> Site {
    let bin = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let path = bin.path().join(name);
        std::fs::write(&path, format!("#!/usr/bin/env bash\n{body}\n")).unwrap();
        Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    };
    // srun: drop its own options, start the tasks with mpirun.
    write(
        "srun",
        "while [[ $1 == --* ]]; do shift; done\nexec \"${RSRENDER_MPIRUN:-mpirun}\" -n \"$SLURM_NTASKS\" \"$@\"",
    );
    write("sbatch", "echo \"sbatch $*\" >> \"$SITE_LOG\"");
    write("qsub", "echo \"qsub $*\" >> \"$SITE_LOG\"");
    Site { bin, work: tempfile::tempdir().unwrap() }
}

impl Site {
    fn log(&self) -> String {
        std::fs::read_to_string(self.work.path().join("scheduler.log")).unwrap_or_default()
    }

    /// `bash SCRIPT ARGS` with the scheduler's environment.
    fn job(&self, script: &str, args: &[&str], env: &[(&str, String)]) -> Command {
        let path = format!("{}:{}", self.bin.path().display(), std::env::var("PATH").unwrap());
        let mut c = Command::new("timeout");
        c.args(["-k", "10", "300", "bash", &format!("{ROOT}/slurm/{script}")])
            .args(args)
            .current_dir(self.work.path())
            .env("PATH", path)
            .env("RSRENDER", BIN)
            .env("RSRENDER_HOME", ROOT)
            .env("SITE_LOG", self.work.path().join("scheduler.log"))
            .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
            .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
            .env("OMPI_MCA_rmaps_base_oversubscribe", "1");
        for (k, v) in env {
            c.env(k, v);
        }
        c
    }

    fn out(&self, name: &str) -> PathBuf {
        self.work.path().join(name)
    }
}

fn slurm_env(site: &Site, tasks: u32, cpus: u32) -> Vec<(&'static str, String)> {
    vec![
        ("SLURM_JOB_ID", "4242".into()),
        ("SLURM_SUBMIT_DIR", site.work.path().display().to_string()),
        ("SLURM_NTASKS", tasks.to_string()),
        ("SLURM_CPUS_PER_TASK", cpus.to_string()),
    ]
}

fn assert_image(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(bytes.starts_with(b"\x89PNG"), "{} is not a PNG", path.display());
}

#[test]
fn each_job_script_renders_its_image() {
    let site = site();
    for (script, tasks, cpus) in [("rsrender.sbatch", 2, 1), ("rsrender-hybrid.sbatch", 1, 2)] {
        let out = format!("{script}.png");
        let o = site.job(script, &[CORNELL, &out, "--spp", "2"], &slurm_env(&site, tasks, cpus)).output().unwrap();
        assert!(o.status.success(), "{script}: {}", stderr(&o));
        assert_image(&site.out(&out));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout.contains(&format!("{tasks} rank")) && stdout.contains(&format!("× {cpus} thread")),
            "{script}: {stdout}"
        );
    }
    let nodefile = site.out("nodes");
    std::fs::write(&nodefile, "localhost\nlocalhost\n").unwrap();
    let env = vec![
        ("PBS_JOBID", "77.server".to_string()),
        ("PBS_O_WORKDIR", site.work.path().display().to_string()),
        ("PBS_NODEFILE", nodefile.display().to_string()),
        ("OMP_NUM_THREADS", "2".into()),
        ("SCENE", CORNELL.into()),
        ("OUTPUT", "pbs.png".into()),
        ("FLAGS", "--spp 2".into()),
        ("MPIRUN", launcher()),
    ];
    let o = site.job("rsrender.pbs", &[], &env).output().unwrap();
    assert!(o.status.success(), "pbs: {}", stderr(&o));
    assert_image(&site.out("pbs.png"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 rank × 2 threads"));
    assert_eq!(site.log(), "", "finished jobs resubmit nothing");
}

#[test]
fn a_job_told_to_stop_resubmits_itself_and_the_next_job_finishes() {
    let site = site();
    let args = [CORNELL, "out.png", "--spp", "256", "--tile-size", "16", "--progress-interval", "0.2"];
    let env = slurm_env(&site, 2, 1);
    let mut job = site.job("rsrender.sbatch", &args, &env).stderr(Stdio::piped()).spawn().unwrap();
    let log = job.stderr.take().unwrap();
    let mut lines = BufReader::new(log).lines().map_while(Result::ok);
    assert!(lines.any(|l| l.starts_with("rsrender: progress")), "rank 0 reports progress");
    // The batch shell is the child of `timeout`.
    let shell = Command::new("pgrep").args(["-P", &job.id().to_string()]).output().unwrap();
    let shell = String::from_utf8_lossy(&shell.stdout).trim().to_string();
    assert!(!shell.is_empty(), "batch shell found");
    Command::new("kill").args(["-USR1", &shell]).status().unwrap();
    let rest: String = lines.collect::<Vec<_>>().join("\n");
    let status = job.wait().unwrap();
    assert_eq!(status.code(), Some(75), "{rest}");
    assert!(site.out("out.png.ckpt").exists() && !site.out("out.png").exists());
    assert_eq!(site.log().trim(), format!("sbatch {}/slurm/rsrender.sbatch {}", ROOT, args.join(" ")));
    // The resubmitted job: same script, same arguments, resumes by itself.
    let o = site.job("rsrender.sbatch", &args, &env).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_image(&site.out("out.png"));
    assert!(!site.out("out.png.ckpt").exists());
}
