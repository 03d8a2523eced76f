//! Non-associations: pairs of inmates who must never share a class. Entered and read only by
//! those who plan (`PlanTraining`): trainers and partners never see them. Stored with the
//! lower inmate id first, so a pair is one row whichever order it was entered in; ending one
//! keeps the row (with `ended_at`) for history.
