//! Building the two-level structure: one Embree scene per mesh, then the top
//! scene whose geometry IDs are the object indices of `Geometry`.

use super::device::Device;
use super::spheres;
use crate::geometry::{Geometry, Object, TriMesh};
use anyhow::Result;
use embree::sys::*;
use std::ffi::c_void;
use std::sync::Arc;

pub struct Accel {
    pub(super) top: RTCScene,
    mesh_scenes: Vec<RTCScene>,
    pub(super) geometry: Arc<Geometry>,
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
    /// with `threads` build threads.
    pub fn build(geometry: Arc<Geometry>, threads: usize) -> Result<Accel> {
        let device = Device::new(threads)?;
        // SAFETY: every handle comes from this device; the buffers and
        // spheres handed to Embree live in `geometry`, which `Accel` keeps.
        unsafe {
            let top = rtcNewScene(device.handle);
            let mut accel = Accel { top, mesh_scenes: Vec::new(), geometry: geometry.clone(), device };
            for mesh in &geometry.meshes {
                let scene = rtcNewScene(accel.device.handle);
                accel.mesh_scenes.push(scene);
                attach(scene, triangles(accel.device.handle, mesh), 0);
                rtcCommitScene(scene);
                accel.device.check("building a mesh BVH")?;
            }
            for (id, object) in geometry.objects.iter().enumerate() {
                let g = match object {
                    Object::Sphere(s) => spheres::geometry(accel.device.handle, s),
                    Object::Triangles(m) => triangles(accel.device.handle, m),
                    Object::Instance(i) => {
                        let g = rtcNewGeometry(accel.device.handle, RTCGeometryType::INSTANCE);
                        rtcSetGeometryInstancedScene(g, accel.mesh_scenes[i.mesh as usize]);
                        let m = i.to_world.m.to_cols_array_2d();
                        let columns: [[f32; 3]; 4] = m.map(|c| [c[0], c[1], c[2]]);
                        let ptr = columns.as_ptr() as *const c_void;
                        rtcSetGeometryTransform(g, 0, RTCFormat::FLOAT3X4_COLUMN_MAJOR, ptr);
                        rtcCommitGeometry(g);
                        g
                    }
                };
                attach(top, g, id as u32);
            }
            rtcCommitScene(top);
            accel.device.check("building the scene BVH")?;
            Ok(accel)
        }
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
unsafe fn triangles(device: RTCDevice, mesh: &TriMesh) -> RTCGeometry {
    let g = rtcNewGeometry(device, RTCGeometryType::TRIANGLE);
    let (positions, tris) = (mesh.padded_positions(), mesh.triangles());
    let stride = std::mem::size_of::<[f32; 3]>();
    let vertices = positions.as_ptr() as *const c_void;
    rtcSetSharedGeometryBuffer(
        g,
        RTCBufferType::VERTEX,
        0,
        RTCFormat::FLOAT3,
        vertices,
        0,
        stride,
        mesh.vertex_count(),
    );
    let indices = tris.as_ptr() as *const c_void;
    rtcSetSharedGeometryBuffer(g, RTCBufferType::INDEX, 0, RTCFormat::UINT3, indices, 0, stride, tris.len());
    rtcCommitGeometry(g);
    g
}

/// Attaches `g` to `scene` under `id` and drops our reference to it.
unsafe fn attach(scene: RTCScene, g: RTCGeometry, id: u32) {
    rtcAttachGeometryByID(scene, g, id);
    rtcReleaseGeometry(g);
}
