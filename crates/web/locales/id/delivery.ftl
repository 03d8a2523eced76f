# Kelas, daftar hadir, hasil unit, perubahan status peserta.
filter-all = Semua
filter-apply = Terapkan
print = Cetak
back-to-class = Kembali ke kelas
status-unknown = (tidak dikenal)
nothing-changed = Tidak ada perubahan.

form-has-errors = Ada isian yang perlu diperbaiki. Lihat pesan di samping isian.
form-required = Wajib diisi.
form-choose = Pilih…
form-choose-one = Pilih salah satu.
form-date-invalid = Tanggal tidak valid.
form-date-future = Tanggal tidak boleh di masa depan.
form-continue = Lanjut
form-cancel = Batal

classes-none = Tidak ada kelas yang dapat Anda lihat.
class-title = Kelas { $code }
class-stage = Tahap
class-status = Status
class-partner = Mitra pelatihan
class-print-roster = Cetak daftar peserta
class-results = Hasil unit kompetensi
class-certificates = Sertifikat
class-roster = Peserta
class-roster-empty = Belum ada peserta.
class-sessions = Sesi
class-sessions-none = Belum ada sesi. Sesi dibuat dari rencana yang sudah disetujui.
class-status-planned = Direncanakan
class-status-running = Berjalan
class-status-finished = Selesai
class-status-cancelled = Dibatalkan

roster-title = Daftar peserta
roster-number = No.
roster-name = Nama
roster-register-number = No. register
roster-state = Status
roster-attendance = Kehadiran
roster-best-reachable = Maks. tercapai
roster-below-minimum = di bawah minimum { $min } %
roster-actions = Tindakan
roster-end-enrolment = Akhiri keikutsertaan
roster-signature = Tanda tangan

enrolment-state-enrolled = Terdaftar
enrolment-state-completed = Lulus
enrolment-state-not-completed = Tidak lulus
enrolment-state-withdrawn = Mengundurkan diri
enrolment-state-transferred = Dipindahkan
enrolment-state-released = Bebas
enrolment-state-dismissed = Dikeluarkan
enrolment-state-medical = Alasan kesehatan

session-date = Tanggal
session-hours = JP
session-status = Status
session-attendance = Daftar hadir
session-take-attendance = Isi daftar hadir
session-view-attendance = Lihat / koreksi
session-upcoming = Belum dimulai
session-recorded = Tercatat
session-status-scheduled = Terjadwal
session-status-held = Terlaksana
session-status-cancelled = Dibatalkan
session-status-moved = Dipindah

notice-enrolment-ended = Keikutsertaan diakhiri dan dicatat.
notice-attendance-saved = Daftar hadir tersimpan.
notice-results-saved = Hasil unit tersimpan.
notice-nothing-changed = Tidak ada perubahan.

state-title = Akhiri keikutsertaan
state-intro = { $name } di kelas { $class }.
state-to = Alasan berakhir
state-effective-on = Berlaku mulai
state-reason = Keterangan
state-confirm-warning = Perubahan ini tidak dapat dibatalkan dan tercatat di riwayat peserta. Periksa sekali lagi, lalu konfirmasi.
state-confirm = Ya, akhiri keikutsertaan
state-proposal = Tempat yang kosong diusulkan untuk { $name } dari daftar tunggu.
state-open-waiting-list = Buka daftar tunggu

attendance-title = Daftar hadir
attendance-intro = Kelas { $class }, { $date }
attendance-hours = { $hours } JP
attendance-print-note = Tanda tangan instruktur: ______________________
attendance-conflict-title = Daftar hadir ini sudah diubah orang lain.
attendance-conflict-text = Isian Anda belum disimpan. Kolom "Tercatat sekarang" menunjukkan yang sudah tersimpan. Periksa, lalu simpan lagi bila isian Anda benar.
attendance-all-present = Semua hadir
attendance-status = Kehadiran
attendance-excuse = Izin
attendance-excuse-kind = Jenis izin
attendance-excuse-text = Keterangan
attendance-now-recorded = Tercatat sekarang
attendance-nobody = Tidak ada peserta pada sesi ini.
attendance-save = Simpan daftar hadir
attendance-save-anyway = Simpan isian saya
attendance-version = Sudah dicatat (versi { $version }).
attendance-not-yet = Belum ada yang dicatat.
attendance-queued = Tidak ada koneksi. Daftar hadir disimpan di perangkat ini dan akan dikirim otomatis saat koneksi kembali.
attendance-sent = Daftar hadir yang tersimpan di perangkat sudah terkirim.
attendance-failed = Daftar hadir tidak dapat dikirim. Muat ulang halaman lalu coba lagi.
attendance-none = belum dicatat
attendance-present = Hadir
attendance-late = Terlambat
attendance-excused = Izin
attendance-absent = Tidak hadir
attendance-choose-status = Pilih status kehadiran.
attendance-choose-excuse = Pilih jenis izin.
attendance-describe-excuse = Tuliskan keterangan izin.
excuse-sick = Sakit
excuse-court = Sidang
excuse-visit = Kunjungan
excuse-isolation = Isolasi
excuse-other = Lainnya

results-title = Hasil unit kompetensi
results-intro = K = kompeten, BK = belum kompeten. Hanya sel yang diubah yang disimpan; penilaian ulang menambah percobaan baru dan riwayat tetap tersimpan.
results-assessment = Asesmen
results-assessed-on = Tanggal asesmen
results-assessor = Nama asesor
results-evidence = Catatan bukti
results-legend = Kosong = belum diases.
results-save = Simpan hasil
results-units = Unit kompetensi paket ini
results-cannot-clear = Keputusan yang sudah dicatat tidak dapat dikosongkan; catat asesmen ulang (K atau BK).
