//! Support for drguard's fuzz targets: the drivers each target calls.

pub mod drivers;
