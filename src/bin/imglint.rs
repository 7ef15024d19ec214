//! `imglint`: lint Dockerfiles. Everything lives in the library (`imgtools::cli::lint`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(imgtools::cli::lint::main());
}
