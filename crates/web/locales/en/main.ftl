# Page frame, navigation, roles, errors.
skip-to-content = Skip to content
tagline = Vocational training and certification
language-switch = Language
nav-label = Main menu
sign-out = Sign out
sign-out-everywhere = Sign out on every device
signed-in-as = Signed in as { $name }

nav-home = Home
nav-inmates = Inmates
nav-imports = Data import
nav-selection = Assessment & selection
nav-plans = Training plans
nav-classes = Classes
nav-certificates = Certificates
nav-follow-ups = Follow-up
nav-reports = Reports
nav-admin = Administration
nav-account = My account
nav-verify = Verify a certificate

role-national-admin = National administrator
role-oversight-viewer = Oversight (regional/national)
role-facility-head = Facility head
role-program-officer = Programme officer
role-partner-staff = Training partner staff
role-trainer = Trainer
role-assessor = Competency assessor
role-probation-officer = Probation officer (Bapas)

error-back = Back to the home page
error-invalid-title = Input not accepted
error-invalid-text = Some input breaks a rule. Check it and try again.
error-not_found-title = Not found
error-not_found-text = The page or record does not exist, or you may not see it.
error-forbidden-title = Not permitted
error-forbidden-text = Your account may not do this.
error-conflict-title = Could not be saved
error-conflict-text = This change conflicts with the current state of the data.
error-unauthenticated-title = Please sign in
error-unauthenticated-text = Your session has ended. Please sign in again.
error-rate_limited-title = Too many requests
error-rate_limited-text = Wait a moment, then try again.
error-busy-title = The system is busy
error-busy-text = The database is busy. Nothing was lost; try again shortly.
error-storage-title = The data cannot be saved now
error-storage-text = The database cannot be written (the disk is full or it is read-only). Nothing was saved. Tell your administrator, then try again.
error-internal-title = Something went wrong
error-internal-text = Something went wrong inside the system. It has been logged.

notice-saved = Saved.

login-title = Sign in
login-username = Username
login-password = Password
login-submit = Sign in
login-bad-credentials = Wrong username or password.
login-throttled = Too many sign-in attempts. Try again in 15 minutes.
login-verify-link = Checking a certificate? No sign-in needed.

totp-title = Two-step verification
totp-recovery-intro = Two-step verification is on. Keep these recovery codes somewhere safe; each works once and they will not be shown again.
totp-continue = Continue to the home page
totp-enrol-intro = This account must use two-step verification. Add this key to an authenticator app (TOTP), then type the 6-digit code it shows.
totp-key = Key
totp-enter-code = Type the 6-digit code from your authenticator app, or one of your recovery codes.
totp-code = Code
totp-submit = Verify
totp-cancel = Cancel and sign out
totp-bad-code = That code is not valid. Try again.

account-title = My account
account-language = Display language
account-password = Password
account-password-hint = At least 10 characters, not your username and not a common password. Every session of your account ends and you sign in again with the new password.
account-password-current = Current password
account-password-new = New password
account-password-change = Change password
account-sessions = Sessions

verify-title = Certificate verification
verify-intro = Check that a training certificate is genuine by its number or by scanning the QR code printed on it.
verify-number = Certificate number
verify-submit = Check
verify-not-found = Certificate { $number } was not found.
verify-status-valid = VALID
verify-status-revoked = REVOKED
verify-status-expired = EXPIRED
verify-status-invalid = NOT VALID
verify-field-number = Number
verify-field-holder = Holder
verify-field-program = Training programme
verify-field-issuer = Issuer
verify-field-issued = Issued on
verify-field-valid-until = Valid until
verify-units = Competency units
verify-unit-code = Code
verify-unit-title = Unit title

dashboard-title = What needs doing
dashboard-today = Today is { $date }
dashboard-tasks = Tasks
dashboard-nothing-to-do = Nothing is waiting today.
dashboard-open = Open
dashboard-running-classes = Classes running now
dashboard-facilities = Facilities
task-take-attendance = { $count ->
    [one] 1 session without attendance
   *[other] { $count } sessions without attendance
}
task-record-results = { $count ->
    [one] 1 class waiting for unit results
   *[other] { $count } classes waiting for unit results
}
task-approve-plan = { $count ->
    [one] 1 training plan to approve
   *[other] { $count } training plans to approve
}
task-issue-certificates = { $count ->
    [one] 1 class waiting for certificates
   *[other] { $count } classes waiting for certificates
}
task-follow-ups-due = { $count ->
    [one] 1 follow-up after release is due
   *[other] { $count } follow-ups after release are due
}
task-import-errors = { $count ->
    [one] 1 data import with rejected rows
   *[other] { $count } data imports with rejected rows
}

facility-code = Code
facility-name = Facility
facility-region = Region
overview-in-custody = Inmates in custody
overview-classes = Classes
overview-enrolments = Trainees
overview-classes-legend = Classes: planned / running / finished.

class-code = Class
class-package = Package
class-dates = Dates
class-room = Room
class-trainers = Trainers
class-enrolled = Trainees
