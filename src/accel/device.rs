//! One Embree device: its configuration (build threads), the errors it
//! reports and the bytes it holds, counted by Embree's memory monitor.

use anyhow::{bail, Result};
use embree::sys::{
    rtcGetDeviceError, rtcNewDevice, rtcReleaseDevice, rtcSetDeviceErrorFunction, rtcSetDeviceMemoryMonitorFunction,
    RTCDevice, RTCError,
};
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

pub(super) struct Device {
    pub handle: RTCDevice,
    /// Boxed so that the address Embree's callbacks receive stays put.
    state: Box<State>,
}

#[derive(Default)]
struct State {
    bytes: AtomicI64,
    peak: AtomicI64,
    error: Mutex<Option<String>>,
}

impl Device {
    /// A device that builds with `threads` threads, prints nothing, and
    /// uses the instruction set `RSRENDER_EMBREE_ISA` pins, if any.
    pub fn new(threads: usize) -> Result<Device> {
        let isa = super::isa::pinned()?.map(|i| format!(",isa={i}")).unwrap_or_default();
        let config = CString::new(format!("threads={},verbose=0{isa}", threads.max(1)))?;
        // SAFETY: the config string outlives the call; a null result is handled.
        let handle = unsafe { rtcNewDevice(config.as_ptr()) };
        if handle.is_null() {
            // SAFETY: a null device asks for the error of the last device creation.
            let code = unsafe { rtcGetDeviceError(std::ptr::null_mut()) };
            bail!("cannot start the Embree ray tracing kernels ({code:?})");
        }
        let state = Box::<State>::default();
        let user = &*state as *const State as *mut c_void;
        // SAFETY: `state` lives as long as the device (both in `self`, the
        // device released first in `drop`), and the callbacks only read it.
        unsafe {
            rtcSetDeviceErrorFunction(handle, Some(on_error), user);
            rtcSetDeviceMemoryMonitorFunction(handle, Some(on_memory), user);
        }
        Ok(Device { handle, state })
    }

    /// Fails with Embree's message if anything went wrong since the last check.
    pub fn check(&self, what: &str) -> Result<()> {
        // SAFETY: the handle is a live device.
        let code = unsafe { rtcGetDeviceError(self.handle) };
        let message = self.state.error.lock().map(|mut e| e.take()).unwrap_or_default();
        match (code, message) {
            (RTCError::NONE, None) => Ok(()),
            (_, Some(m)) => bail!("{what}: {m}"),
            (code, None) => bail!("{what}: Embree error {code:?}"),
        }
    }

    /// Bytes Embree holds now, and the most it has held.
    pub fn bytes(&self) -> (usize, usize) {
        let now = self.state.bytes.load(Ordering::Relaxed).max(0) as usize;
        (now, self.state.peak.load(Ordering::Relaxed).max(0) as usize)
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        // SAFETY: every scene of this device was released before (see `Accel`'s field order).
        unsafe { rtcReleaseDevice(self.handle) };
    }
}

unsafe extern "C" fn on_error(user: *mut c_void, code: RTCError, text: *const c_char) {
    // SAFETY: `user` is the device's `State`; `text` is null or a C string.
    let state = unsafe { &*(user as *const State) };
    let text = if text.is_null() { String::new() } else { unsafe { CStr::from_ptr(text) }.to_string_lossy().into() };
    if let Ok(mut e) = state.error.lock() {
        e.get_or_insert_with(|| format!("Embree error {code:?}: {text}"));
    }
}

unsafe extern "C" fn on_memory(user: *mut c_void, bytes: isize, _post: bool) -> bool {
    // SAFETY: `user` is the device's `State`.
    let state = unsafe { &*(user as *const State) };
    let now = state.bytes.fetch_add(bytes as i64, Ordering::Relaxed) + bytes as i64;
    state.peak.fetch_max(now, Ordering::Relaxed);
    true
}
