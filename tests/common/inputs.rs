//! The scenes tests share: one good scene and a table of ways to break it,
//! each with what its one error line must say.

use super::{scene_file, SceneFile};

/// An orthographic camera looking down -z at `extent` world units of a
/// white furnace (background radiance 1, unlimited depth), with `body` added.
pub fn furnace(extent: f32, body: &str) -> String {
    looking_down(extent, "[background]\ncolor = [1, 1, 1]", -1, body)
}

/// An orthographic camera looking down -z at `extent` world units, 24 × 24
/// pixels at 128 spp, with `sky` (a `[background]` table or nothing),
/// `max_depth` and `body` added.
pub fn looking_down(extent: f32, sky: &str, max_depth: i32, body: &str) -> String {
    format!(
        r#"
[film]
width = 24
height = 24
output = "out.pfm"
[sampling]
spp = 128
max_depth = {max_depth}
[camera]
type = "orthographic"
position = [0, 0, 10]
look_at = [0, 0, 0]
height = {extent}
{sky}
{body}
"#
    )
}

pub const GOOD: &str = r#"
[film]
width = 16
height = 8
output = "out.pfm"

[sampling]
spp = 4

[camera]
position = [0, 0, 3.9]
look_at = [0, 0, 0]

[materials.white]
type = "diffuse"

[[shapes]]
type = "sphere"
center = [0, 0, 0]
radius = 1
material = "white"

[[lights]]
type = "point"
position = [0, 2, 2]
intensity = [5, 5, 5]
"#;

/// A bad input: how to break the good scene, extra flags, and what the one
/// error line must say.
pub struct BadInput {
    pub name: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub flags: &'static [&'static str],
    pub expect: &'static [&'static str],
}

pub const BAD_INPUTS: &[BadInput] = &[
    BadInput {
        name: "cut-out that emits",
        from: "type = \"diffuse\"\n",
        to: "type = \"diffuse\"\nemission = [1, 1, 1]\nopacity = 0.5\n",
        flags: &[],
        expect: &["scene.toml:17:", "materials.white.opacity", "a cut-out cannot emit"],
    },
    BadInput {
        name: "blend of an unknown material",
        from: "type = \"diffuse\"\n",
        to: "type = \"diffuse\"\n[materials.mix]\ntype = \"blend\"\nmaterials = [\"white\", \"nope\"]\n",
        flags: &[],
        expect: &["scene.toml:18:", "materials.mix.materials[1]", "undefined material `nope`"],
    },
    BadInput {
        name: "blend that contains itself",
        from: "type = \"diffuse\"\n",
        to: "type = \"diffuse\"\n[materials.mix]\ntype = \"blend\"\nmaterials = [\"white\", \"mix\"]\n",
        flags: &[],
        expect: &["scene.toml:18:", "materials.mix.materials", "cannot contain itself"],
    },
    BadInput {
        name: "envmap without a file",
        from: "[materials.white]\n",
        to: "[background]\ntype = \"envmap\"\n[materials.white]\n",
        flags: &[],
        expect: &["scene.toml:", "background.file", "an envmap needs a `file`"],
    },
    BadInput {
        name: "missing envmap image",
        from: "[materials.white]\n",
        to: "[background]\ntype = \"envmap\"\nfile = \"sky.exr\"\n[materials.white]\n",
        flags: &[],
        expect: &["scene.toml:16:", "background.file", "sky.exr"],
    },
    BadInput {
        name: "missing texture image",
        from: "type = \"diffuse\"\n",
        to: "type = \"diffuse\"\nreflectance = { texture = \"missing.png\" }\n",
        flags: &[],
        expect: &["scene.toml:16:", "materials.white.reflectance", "missing.png"],
    },
    BadInput {
        name: "unsupported texture format",
        from: "type = \"diffuse\"\n",
        to: "type = \"diffuse\"\nreflectance = { texture = \"leaf.gif\" }\n",
        flags: &[],
        expect: &["scene.toml:16:", "materials.white.reflectance", "leaf.gif: unsupported format"],
    },
    BadInput {
        name: "texture on a light",
        from: "intensity = [5, 5, 5]",
        to: "intensity = { checkerboard = { scale = 2 } }",
        flags: &[],
        expect: &["scene.toml:26:", "lights[0].intensity", "not lights or the background's colour"],
    },
    BadInput {
        name: "normal map that is not an image",
        from: "type = \"diffuse\"\n",
        to: "type = \"diffuse\"\nnormal_map = { checkerboard = { scale = 2 } }\n",
        flags: &[],
        expect: &["scene.toml:16:", "materials.white.normal_map", "a normal map is an image"],
    },
    BadInput {
        name: "undefined mesh name",
        from: "type = \"sphere\"\ncenter = [0, 0, 0]\nradius = 1",
        to: "type = \"instance\"\nmesh = \"bunny\"",
        flags: &[],
        expect: &["scene.toml:19:", "shapes[0].mesh", "undefined mesh `bunny`"],
    },
    BadInput {
        name: "missing declared mesh file",
        from: "[materials.white]\ntype = \"diffuse\"\n",
        to: "[materials.white]\ntype = \"diffuse\"\n[meshes.rock]\nfile = \"missing.obj\"\n[[shapes]]\n\
             type = \"instance\"\nmesh = \"rock\"\nmaterial = \"white\"\n",
        flags: &[],
        expect: &["scene.toml:17:", "meshes.rock.file", "missing.obj"],
    },
    BadInput {
        name: "count beyond 32 bits",
        from: "spp = 4",
        to: "spp = 5000000000",
        flags: &[],
        expect: &["scene.toml:8:", "sampling.spp", "must be ≤ 4294967295"],
    },
    BadInput { name: "TOML syntax", from: "width = 16", to: "width = = 16", flags: &[], expect: &["scene.toml:3:"] },
    BadInput {
        name: "unknown key",
        from: "radius = 1",
        to: "radius = 1\nradiuss = 2",
        flags: &[],
        expect: &["scene.toml:21:", "shapes[0]", "radiuss"],
    },
    BadInput {
        name: "undefined material",
        from: "material = \"white\"",
        to: "material = \"whte\"",
        flags: &[],
        expect: &["scene.toml:21:", "shapes[0].material", "whte"],
    },
    BadInput {
        name: "negative radius",
        from: "radius = 1",
        to: "radius = -1",
        flags: &[],
        expect: &["scene.toml:20:", "shapes[0].radius", "> 0"],
    },
    BadInput {
        name: "NaN",
        from: "radius = 1",
        to: "radius = nan",
        flags: &[],
        expect: &["scene.toml:20:", "shapes[0].radius", "finite"],
    },
    BadInput {
        name: "wrong type",
        from: "radius = 1",
        to: "radius = \"big\"",
        flags: &[],
        expect: &["scene.toml:20:", "shapes[0].radius"],
    },
    BadInput {
        name: "zero width",
        from: "width = 16",
        to: "width = 0",
        flags: &[],
        expect: &["scene.toml:3:", "film.width", "≥ 1"],
    },
    BadInput {
        name: "fov out of range",
        from: "look_at = [0, 0, 0]",
        to: "look_at = [0, 0, 0]\nfov = 180",
        flags: &[],
        expect: &["scene.toml:13:", "camera.fov"],
    },
    BadInput {
        name: "up parallel to view",
        from: "look_at = [0, 0, 0]",
        to: "look_at = [0, 0, 0]\nup = [0, 0, 2]",
        flags: &[],
        expect: &["scene.toml:13:", "camera.up", "parallel"],
    },
    BadInput {
        name: "singular matrix",
        from: "material = \"white\"",
        to: "material = \"white\"\ntransform = { scale = [1, 0, 1] }",
        flags: &[],
        expect: &["scene.toml:22:", "shapes[0].transform", "singular"],
    },
    BadInput {
        name: "missing key",
        from: "position = [0, 0, 3.9]",
        to: "",
        flags: &[],
        expect: &["camera", "position"],
    },
    BadInput {
        name: "future format",
        from: "[film]",
        to: "format = 2\n[film]",
        flags: &[],
        expect: &["scene.toml:2:", "format", "version 2"],
    },
    BadInput {
        name: "film too large for memory",
        from: "width = 16\nheight = 8",
        to: "width = 60000\nheight = 60000",
        flags: &[],
        expect: &["film.width", "GiB"],
    },
    BadInput {
        name: "unwritable output",
        from: "",
        to: "",
        flags: &["-o", "no/such/dir/x.png"],
        expect: &["no/such/dir/x.png", "does not exist"],
    },
    BadInput {
        name: "unknown output format",
        from: "",
        to: "",
        flags: &["-o", "x.jpg"],
        expect: &["x.jpg", ".png, .exr, .pfm or .npy"],
    },
    BadInput {
        name: "unknown glass",
        from: "type = \"diffuse\"",
        to: "type = \"dielectric\"\nior = \"bk8\"",
        flags: &[],
        expect: &["scene.toml:16:", "materials.white.ior", "unknown glass `bk8`", "bk7, fused_silica, sapphire"],
    },
    BadInput {
        name: "unknown metal",
        from: "type = \"diffuse\"",
        to: "type = \"conductor\"\nmetal = \"Xx\"",
        flags: &[],
        expect: &["scene.toml:16:", "materials.white.metal", "unknown metal `Xx`", "Au", "stainless_steel"],
    },
    BadInput {
        name: "wavelengths not increasing",
        from: "intensity = [5, 5, 5]",
        to: "intensity = { wavelengths = [500, 400], values = [1, 1] }",
        flags: &[],
        expect: &["scene.toml:26:", "lights[0].intensity", "must increase"],
    },
    BadInput {
        name: "blackbody at 0 K",
        from: "intensity = [5, 5, 5]",
        to: "intensity = { blackbody = 0 }",
        flags: &[],
        expect: &["scene.toml:26:", "lights[0].intensity", "temperature > 0 K"],
    },
    BadInput {
        name: "negative radiance",
        from: "intensity = [5, 5, 5]",
        to: "intensity = { lines = [[656.3, -1]] }",
        flags: &[],
        expect: &["scene.toml:26:", "lights[0].intensity", "radiance must be a finite number ≥ 0"],
    },
    BadInput {
        name: "missing spectrum file",
        from: "intensity = [5, 5, 5]",
        to: "intensity = { file = \"lamp.csv\" }",
        flags: &[],
        expect: &["scene.toml:26:", "lights[0].intensity", "lamp.csv"],
    },
    BadInput {
        name: "zero bins",
        from: "[film]",
        to: "[spectrum]\nmin_wavelength = 400\nmax_wavelength = 700\nbins = 0\n[film]",
        flags: &[],
        expect: &["scene.toml:5:", "spectrum.bins", "≥ 1"],
    },
    BadInput {
        name: "empty wavelength range",
        from: "[film]",
        to: "[spectrum]\nmin_wavelength = 700\nmax_wavelength = 400\nbins = 8\n[film]",
        flags: &[],
        expect: &["scene.toml:4:", "spectrum.max_wavelength", "greater than min_wavelength"],
    },
    BadInput {
        name: "unknown observer target",
        from: "intensity = [5, 5, 5]",
        to: "intensity = [5, 5, 5]\n[[observers]]\nname = \"bolo\"\ntype = \"targeted_pixel\"\nsize = [0.01, 0.01]\ntarget = \"slit\"",
        flags: &[],
        expect: &["scene.toml:31:", "observers[0].target", "no shape is named `slit`"],
    },
    BadInput {
        name: "duplicate observer names",
        from: "intensity = [5, 5, 5]",
        to: "intensity = [5, 5, 5]\n[[observers]]\nname = \"a\"\ntype = \"pixel\"\nsize = [1, 1]\n\
             [[observers]]\nname = \"a\"\ntype = \"pixel\"\nsize = [1, 1]",
        flags: &[],
        expect: &["scene.toml:32:", "observers[1].name", "another observer is named `a`"],
    },
    BadInput {
        name: "zero detector size",
        from: "intensity = [5, 5, 5]",
        to: "intensity = [5, 5, 5]\n[[observers]]\nname = \"a\"\ntype = \"pixel\"\nsize = [0, 1]",
        flags: &[],
        expect: &["scene.toml:30:", "observers[0].size", "> 0"],
    },
    BadInput {
        name: "acceptance angle out of range",
        from: "intensity = [5, 5, 5]",
        to: "intensity = [5, 5, 5]\n[[observers]]\nname = \"f\"\ntype = \"fibre\"\norigin = [0, 0, 0]\n\
             direction = [0, 0, 1]\nradius = 0.001\nacceptance_angle = 95",
        flags: &[],
        expect: &["scene.toml:33:", "observers[0].acceptance_angle", "(0, 90)"],
    },
    BadInput {
        name: "power of a sight line",
        from: "intensity = [5, 5, 5]",
        to: "intensity = [5, 5, 5]\n[[observers]]\nname = \"l\"\ntype = \"sight_line\"\nquantity = \"power\"\n\
             origin = [0, 0, 0]\ndirection = [0, 0, 1]",
        flags: &[],
        expect: &["scene.toml:30:", "observers[0].quantity", "étendue"],
    },
    BadInput {
        name: "missing rays file",
        from: "intensity = [5, 5, 5]",
        to: "intensity = [5, 5, 5]\n[[observers]]\nname = \"v\"\ntype = \"vector_camera\"\nrays = \"rays.npy\"",
        flags: &[],
        expect: &["scene.toml:30:", "observers[0].rays", "rays.npy"],
    },
];

pub fn bad_scene(b: &BadInput) -> SceneFile {
    assert!(GOOD.contains(b.from), "{}: pattern not in the good scene", b.name);
    scene_file(&GOOD.replacen(b.from, b.to, 1))
}

impl BadInput {
    /// The command line that renders `scene` (from `bad_scene`) with this input's flags.
    pub fn args<'a>(&'a self, scene: &'a SceneFile) -> Vec<&'a str> {
        let mut args = vec![scene.path.to_str().expect("UTF-8 temporary path")];
        args.extend_from_slice(self.flags);
        args
    }
}
