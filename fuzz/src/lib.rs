//! Support for drguard's fuzz targets: the drivers each target calls.

#[cfg(feature = "live")]
pub mod aws;
pub mod drivers;
