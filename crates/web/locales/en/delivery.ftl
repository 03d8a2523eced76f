# Classes, attendance, unit results, enrolment changes.
filter-all = All
filter-apply = Apply
print = Print
back-to-class = Back to the class
status-unknown = (unknown)
nothing-changed = Nothing changed.

form-has-errors = Some fields need correcting. See the messages beside them.
form-required = Required.
form-choose = Choose…
form-choose-one = Choose one.
form-date-invalid = Not a valid date.
form-date-future = The date cannot be in the future.
form-continue = Continue
form-cancel = Cancel

classes-none = There are no classes you may see.
class-title = Class { $code }
class-stage = Stage
class-status = Status
class-partner = Training partner
class-print-roster = Print the roster
class-results = Competency unit results
class-certificates = Certificates
class-roster = Trainees
class-roster-empty = No trainees yet.
class-sessions = Sessions
class-sessions-none = No sessions yet. Sessions are made from an approved plan.
class-status-planned = Planned
class-status-running = Running
class-status-finished = Finished
class-status-cancelled = Cancelled

roster-title = Class roster
roster-number = No.
roster-name = Name
roster-register-number = Register no.
roster-state = Status
roster-attendance = Attendance
roster-best-reachable = Best reachable
roster-below-minimum = below the minimum of { $min }%
roster-actions = Actions
roster-end-enrolment = End enrolment
roster-signature = Signature

enrolment-state-enrolled = Enrolled
enrolment-state-completed = Completed
enrolment-state-not-completed = Not completed
enrolment-state-withdrawn = Withdrawn
enrolment-state-transferred = Transferred
enrolment-state-released = Released
enrolment-state-dismissed = Dismissed
enrolment-state-medical = Medical reasons

session-date = Date
session-hours = Hours
session-status = Status
session-attendance = Attendance
session-take-attendance = Take attendance
session-view-attendance = View / correct
session-upcoming = Not yet
session-recorded = Recorded
session-status-scheduled = Scheduled
session-status-held = Held
session-status-cancelled = Cancelled
session-status-moved = Moved

notice-enrolment-ended = The enrolment was ended and recorded.
notice-attendance-saved = Attendance saved.
notice-results-saved = Unit results saved.
notice-nothing-changed = Nothing changed.

state-title = End an enrolment
state-intro = { $name } in class { $class }.
state-to = Reason it ends
state-effective-on = Effective from
state-reason = Details
state-confirm-warning = This cannot be undone and stays in the trainee's history. Check once more, then confirm.
state-confirm = Yes, end the enrolment
state-proposal = The freed place is proposed to { $name } from the waiting list.
state-open-waiting-list = Open the waiting list

attendance-title = Attendance sheet
attendance-intro = Class { $class }, { $date }
attendance-hours = { $hours } hours
attendance-print-note = Trainer's signature: ______________________
attendance-conflict-title = Someone else changed this sheet.
attendance-conflict-text = Your entries are not saved yet. The "Recorded now" column shows what is stored. Check, then save again if yours are right.
attendance-all-present = All present
attendance-status = Attendance
attendance-excuse = Excuse
attendance-excuse-kind = Kind of excuse
attendance-excuse-text = Details
attendance-now-recorded = Recorded now
attendance-nobody = Nobody is on this session's sheet.
attendance-save = Save attendance
attendance-save-anyway = Save my entries
attendance-version = Recorded (version { $version }).
attendance-not-yet = Nothing recorded yet.
attendance-queued = No connection. The sheet is kept on this device and will be sent by itself when the connection returns.
attendance-sent = The sheet kept on this device has been sent.
attendance-failed = The sheet could not be sent. Reload the page and try again.
attendance-none = not recorded
attendance-present = Present
attendance-late = Late
attendance-excused = Excused
attendance-absent = Absent
attendance-choose-status = Choose an attendance status.
attendance-choose-excuse = Choose the kind of excuse.
attendance-describe-excuse = Describe the excuse.
excuse-sick = Sick
excuse-court = Court hearing
excuse-visit = Visit
excuse-isolation = Isolation
excuse-other = Other

results-title = Competency unit results
results-intro = K = competent, BK = not yet competent. Only changed cells are saved; a re-assessment adds a new attempt and the history is kept.
results-assessment = Assessment
results-assessed-on = Date of assessment
results-assessor = Assessor's name
results-evidence = Evidence note
results-legend = Empty = not assessed yet.
results-save = Save results
results-units = Units of this package
results-cannot-clear = A recorded decision cannot be cleared; record a re-assessment (K or BK).
