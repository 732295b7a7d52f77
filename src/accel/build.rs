//! Building the two-level structure: one Embree scene per mesh, then the top
//! scene whose geometry IDs are the object indices of `Geometry`.

use super::device::Device;
use super::spheres;
use crate::geometry::{Geometry, Object, TriMesh};
use crate::math::Transform;
use anyhow::Result;
use embree::sys::*;
use std::ffi::c_void;
use std::sync::Arc;

pub struct Accel {
    pub(super) top: RTCScene,
    mesh_scenes: Vec<RTCScene>,
    pub(super) geometry: Arc<Geometry>,
    /// Set by `record`: every ray traced is kept.
    #[cfg(feature = "ray-log")]
    pub(super) recorder: Option<super::log::Recorder>,
    /// Released last: scenes first, then their device.
    pub(super) device: Device,
}

// SAFETY: committed Embree scenes may be queried from any number of threads
// at once, and nothing here changes after `build`; `Geometry`, whose buffers
// and spheres Embree reads, is immutable behind the `Arc` the accelerator keeps.
unsafe impl Send for Accel {}
unsafe impl Sync for Accel {}

impl Accel {
    /// Builds the BVHs of every mesh and the top level over every object,
    /// with `threads` build threads (Embree's device is capped at them).
    pub fn build(geometry: Arc<Geometry>, threads: usize) -> Result<Accel> {
        let device = Device::new(threads)?;
        let d = device.handle;
        // SAFETY: `d` is a live device; the scene is released in `drop`.
        let top = unsafe { rtcNewScene(d) };
        let mut accel = Accel {
            top,
            mesh_scenes: Vec::new(),
            geometry: geometry.clone(),
            #[cfg(feature = "ray-log")]
            recorder: None,
            device,
        };
        for mesh in &geometry.meshes {
            // SAFETY: as above; `mesh` lives in `geometry`, which `accel` keeps.
            let scene = unsafe { rtcNewScene(d) };
            accel.mesh_scenes.push(scene);
            // SAFETY: `scene` is live; `mesh` outlives it (see above).
            unsafe {
                attach(scene, triangles(d, mesh), 0);
                rtcCommitScene(scene);
            }
            accel.device.check("building a mesh BVH")?;
        }
        for (id, object) in geometry.objects.iter().enumerate() {
            // SAFETY: the objects live in `geometry`, which `accel` keeps, and
            // the mesh scenes in `accel`, released after the top scene.
            let g = unsafe {
                match object {
                    Object::Sphere(s) => spheres::geometry(d, s),
                    Object::Triangles(m) => triangles(d, m),
                    Object::Instance(i) => instance(d, accel.mesh_scenes[i.mesh as usize], &i.to_world),
                }
            };
            // SAFETY: `top` and `g` are live handles of this device.
            unsafe { attach(top, g, id as u32) };
        }
        // SAFETY: a live scene of this device.
        unsafe { rtcCommitScene(top) };
        accel.device.check("building the scene BVH")?;
        Ok(accel)
    }

    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    /// Bytes the acceleration structures hold.
    pub fn bytes(&self) -> usize {
        self.device.bytes().0
    }

    /// The most bytes they held, which was while building.
    pub fn peak_bytes(&self) -> usize {
        self.device.bytes().1
    }
}

impl Drop for Accel {
    fn drop(&mut self) {
        // SAFETY: the scenes are live and released once; the device outlives them.
        unsafe {
            rtcReleaseScene(self.top);
            for &s in &self.mesh_scenes {
                rtcReleaseScene(s);
            }
        }
    }
}

/// A triangle geometry reading `mesh`'s own buffers.
///
/// # Safety
/// `device` must be live, and `mesh` must outlive the geometry (Embree reads
/// its buffers in place).
unsafe fn triangles(device: RTCDevice, mesh: &TriMesh) -> RTCGeometry {
    let (positions, tris) = (mesh.padded_positions(), mesh.triangles());
    let vertices = positions.as_ptr() as *const c_void;
    let indices = tris.as_ptr() as *const c_void;
    let (vertex_stride, index_stride) = (std::mem::size_of::<[f32; 3]>(), std::mem::size_of::<[u32; 3]>());
    // SAFETY: the caller keeps `mesh`; the strides and counts describe its buffers.
    unsafe {
        let g = rtcNewGeometry(device, RTCGeometryType::TRIANGLE);
        let (vertex, index) = (RTCBufferType::VERTEX, RTCBufferType::INDEX);
        rtcSetSharedGeometryBuffer(g, vertex, 0, RTCFormat::FLOAT3, vertices, 0, vertex_stride, mesh.vertex_count());
        rtcSetSharedGeometryBuffer(g, index, 0, RTCFormat::UINT3, indices, 0, index_stride, tris.len());
        rtcCommitGeometry(g);
        g
    }
}

/// An instance of the committed `scene` placed by `to_world`.
///
/// # Safety
/// `device` and `scene` must be live, and `scene` must outlive the instance.
unsafe fn instance(device: RTCDevice, scene: RTCScene, to_world: &Transform) -> RTCGeometry {
    let columns: [[f32; 3]; 4] = to_world.m.to_cols_array_2d().map(|c| [c[0], c[1], c[2]]);
    // SAFETY: Embree copies the transform during the call.
    unsafe {
        let g = rtcNewGeometry(device, RTCGeometryType::INSTANCE);
        rtcSetGeometryInstancedScene(g, scene);
        rtcSetGeometryTransform(g, 0, RTCFormat::FLOAT3X4_COLUMN_MAJOR, columns.as_ptr() as *const c_void);
        rtcCommitGeometry(g);
        g
    }
}

/// Attaches `g` to `scene` under `id` and drops our reference to it.
///
/// # Safety
/// Both handles must be live and of one device.
unsafe fn attach(scene: RTCScene, g: RTCGeometry, id: u32) {
    // SAFETY: as the caller promises.
    unsafe {
        rtcAttachGeometryByID(scene, g, id);
        rtcReleaseGeometry(g);
    }
}
