# Environment for wasm32 builds (sourced). build-std rebuilds std with atomics for threads; it
# is set here rather than in .cargo/config.toml so native builds and tests are unaffected.
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
# wasm-bindgen-test-runner drives Debian's chromium through chromedriver.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Test harnesses default to panic=unwind, which would build std a second time (duplicate lang
# items); keep tests on panic=abort like everything else.
export CARGO_UNSTABLE_PANIC_ABORT_TESTS=true
# wasm-bindgen-test's default 20 s per test is tight for debug builds on a busy 2-core machine.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
