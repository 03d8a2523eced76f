# Bingkai halaman, navigasi, peran, galat. (Page frame, navigation, roles, errors.)
skip-to-content = Langsung ke isi
tagline = Pelatihan kerja dan sertifikasi
language-switch = Bahasa
nav-label = Menu utama
sign-out = Keluar
sign-out-everywhere = Keluar dari semua perangkat
signed-in-as = Masuk sebagai { $name }

nav-home = Beranda
nav-inmates = WBP
nav-imports = Impor data
nav-selection = Asesmen & seleksi
nav-plans = Rencana pelatihan
nav-classes = Kelas
nav-certificates = Sertifikat
nav-follow-ups = Tindak lanjut
nav-reports = Laporan
nav-admin = Administrasi
nav-account = Akun saya
nav-verify = Verifikasi sertifikat

role-national-admin = Admin nasional
role-oversight-viewer = Pengawas (Kanwil/Ditjenpas)
role-facility-head = Kepala UPT
role-program-officer = Petugas Bimker/Giatja
role-partner-staff = Staf mitra pelatihan
role-trainer = Instruktur
role-assessor = Asesor kompetensi
role-probation-officer = PK Bapas

error-back = Kembali ke beranda
error-invalid-title = Data tidak dapat diterima
error-invalid-text = Ada isian yang tidak memenuhi aturan. Periksa kembali lalu coba lagi.
error-not_found-title = Tidak ditemukan
error-not_found-text = Halaman atau data yang dicari tidak ada, atau Anda tidak berhak melihatnya.
error-forbidden-title = Tidak diizinkan
error-forbidden-text = Akun Anda tidak berhak melakukan ini.
error-conflict-title = Tidak dapat disimpan
error-conflict-text = Perubahan ini bertentangan dengan keadaan data saat ini.
error-unauthenticated-title = Silakan masuk
error-unauthenticated-text = Sesi Anda sudah berakhir. Silakan masuk lagi.
error-rate_limited-title = Terlalu banyak permintaan
error-rate_limited-text = Tunggu sebentar, lalu coba lagi.
error-busy-title = Sistem sedang sibuk
error-busy-text = Basis data sedang sibuk. Tidak ada yang hilang; coba lagi sebentar lagi.
error-storage-title = Data tidak dapat disimpan saat ini
error-storage-text = Basis data tidak dapat ditulis (disk penuh atau hanya-baca). Tidak ada yang tersimpan. Beri tahu administrator, lalu coba lagi.
error-internal-title = Terjadi kesalahan
error-internal-text = Terjadi kesalahan di sistem. Kejadian ini sudah dicatat.

notice-saved = Tersimpan.

login-title = Masuk
login-username = Nama pengguna
login-password = Kata sandi
login-submit = Masuk
login-bad-credentials = Nama pengguna atau kata sandi salah.
login-throttled = Terlalu banyak percobaan masuk. Coba lagi setelah 15 menit.
login-verify-link = Memeriksa keaslian sertifikat? Tidak perlu masuk.

totp-title = Verifikasi dua langkah
totp-recovery-intro = Verifikasi dua langkah aktif. Simpan kode pemulihan berikut di tempat aman; setiap kode hanya dapat dipakai sekali dan tidak akan ditampilkan lagi.
totp-continue = Lanjut ke beranda
totp-enrol-intro = Akun ini wajib memakai verifikasi dua langkah. Masukkan kunci berikut ke aplikasi autentikator (TOTP), lalu ketik kode 6 angka yang muncul.
totp-key = Kunci
totp-enter-code = Ketik kode 6 angka dari aplikasi autentikator, atau salah satu kode pemulihan.
totp-code = Kode
totp-submit = Verifikasi
totp-cancel = Batal dan keluar
totp-bad-code = Kode tidak valid. Coba lagi.

account-title = Akun saya
account-language = Bahasa tampilan
account-password = Kata sandi
account-password-hint = Paling sedikit 10 karakter, bukan nama pengguna dan bukan kata sandi yang umum. Semua sesi akun Anda berakhir dan Anda masuk lagi dengan kata sandi baru.
account-password-current = Kata sandi sekarang
account-password-new = Kata sandi baru
account-password-change = Ganti kata sandi
account-sessions = Sesi

verify-title = Verifikasi sertifikat
verify-intro = Periksa keaslian sertifikat pelatihan dengan nomornya atau dengan memindai kode QR pada sertifikat.
verify-number = Nomor sertifikat
verify-submit = Periksa
verify-not-found = Sertifikat { $number } tidak ditemukan.
verify-status-valid = SAH
verify-status-revoked = DICABUT
verify-status-expired = KEDALUWARSA
verify-status-invalid = TIDAK SAH
verify-field-number = Nomor
verify-field-holder = Nama pemegang
verify-field-program = Program pelatihan
verify-field-issuer = Penerbit
verify-field-issued = Tanggal terbit
verify-field-valid-until = Berlaku sampai
verify-units = Unit kompetensi
verify-unit-code = Kode
verify-unit-title = Judul unit

dashboard-title = Yang perlu dikerjakan
dashboard-today = Hari ini { $date }
dashboard-tasks = Tugas
dashboard-nothing-to-do = Tidak ada tugas yang menunggu hari ini.
dashboard-open = Buka
dashboard-running-classes = Kelas yang sedang berjalan
dashboard-facilities = UPT
task-take-attendance = { $count ->
    [one] 1 sesi belum diisi daftar hadirnya
   *[other] { $count } sesi belum diisi daftar hadirnya
}
task-record-results = { $count ->
    [one] 1 kelas menunggu hasil asesmen unit
   *[other] { $count } kelas menunggu hasil asesmen unit
}
task-approve-plan = { $count ->
    [one] 1 rencana pelatihan menunggu persetujuan
   *[other] { $count } rencana pelatihan menunggu persetujuan
}
task-issue-certificates = { $count ->
    [one] 1 kelas menunggu penerbitan sertifikat
   *[other] { $count } kelas menunggu penerbitan sertifikat
}
task-follow-ups-due = { $count ->
    [one] 1 tindak lanjut pascabebas jatuh tempo
   *[other] { $count } tindak lanjut pascabebas jatuh tempo
}
task-import-errors = { $count ->
    [one] 1 impor data dengan baris yang ditolak
   *[other] { $count } impor data dengan baris yang ditolak
}

facility-code = Kode
facility-name = UPT
facility-region = Wilayah
overview-in-custody = WBP dalam pembinaan
overview-classes = Kelas
overview-enrolments = Peserta
overview-classes-legend = Kelas: direncanakan / berjalan / selesai.

class-code = Kelas
class-package = Paket
class-dates = Tanggal
class-room = Ruang
class-trainers = Instruktur
class-enrolled = Peserta
