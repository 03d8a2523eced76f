#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bekal_fuzz::qr_payload(data));
