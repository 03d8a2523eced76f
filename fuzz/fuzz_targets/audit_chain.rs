#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bekal_fuzz::audit::tamper_and_verify(data));
