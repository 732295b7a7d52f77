//! The image is a pure function of (scene, seed, spp): the same bits for any
//! thread count and tile size, in this process (the MPI tests cover ranks).

mod common;
use common::*;
use rsrender::settings::Overrides;

const SCENE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenes/cornell.toml");

fn bits(rgb: &[f32]) -> Vec<u32> {
    rgb.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn threads_and_tile_size_do_not_change_a_bit() {
    let toml = std::fs::read_to_string(SCENE).unwrap();
    let with = |threads: usize, tile: u32| {
        let o = Overrides { spp: Some(2), tile_size: Some(tile), ..Overrides::default() };
        bits(&render(&toml, &o, threads).1)
    };
    let reference = with(1, 32);
    for (threads, tile) in [(2, 32), (2, 1), (3, 7), (1, 256), (4, 100)] {
        assert!(with(threads, tile) == reference, "--threads {threads} --tile-size {tile} changed the image");
    }
}

#[test]
fn the_seed_changes_the_noise_but_not_the_picture() {
    let toml = std::fs::read_to_string(SCENE).unwrap();
    let with_seed =
        |seed: u64| render(&toml, &Overrides { spp: Some(4), seed: Some(seed), ..Overrides::default() }, 2).1;
    let (a, b) = (with_seed(1), with_seed(2));
    assert_ne!(bits(&a), bits(&b));
    let (ma, mb) = (channel_means(&a), channel_means(&b));
    for c in 0..3 {
        assert_close(ma[c], mb[c], 0.02, "image mean under another seed");
    }
}
