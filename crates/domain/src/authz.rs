//! The one role × action table. Every route of the team space, the partner
//! space and the authenticated API names the action it performs; the web layer
//! checks it with [`allows`] on the server for every request.

use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// See one's own account page, change one's name, language and password.
    OwnAccount,
    /// Enter the team space (dashboard and navigation).
    TeamSpace,
    /// Enter the partner space.
    PartnerSpace,
    /// Create, list and revoke one's personal API tokens.
    ApiTokens,
    /// Invite users, change their role, disable or enable them.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
    /// Read the e-mail outbox and requeue failed messages.
    ManageOutbox,
    /// Browse the directory's organisations and venues in the team space.
    ReadDirectory,
    /// Browse the directory's people: contacts with their e-mail addresses,
    /// phones and notes.
    ReadPeople,
    /// A partner edits their own organisation's profile and contacts.
    EditOwnOrganisation,
    /// Create and edit records of the directory.
    EditDirectory,
    /// Delete and merge records, import and export lists, export or erase a
    /// person's data.
    ManageDirectory,
    /// Browse projects, activities, sessions and the venue planning in the
    /// team space.
    ReadProgramme,
    /// Create and edit activities and their sessions, reconduct last year's.
    EditProgramme,
    /// Create, edit and delete projects; publish or cancel activities in
    /// bulk; import and export a programme.
    ManageProgramme,
    /// See the bookings of every session: attendee lists with their
    /// e-mail addresses and phones, exports, sign-in sheets.
    ReadBookings,
    /// Approve or refuse class bookings, cancel, move or confirm bookings
    /// beyond capacity, add walk-ins.
    ManageBookings,
    /// See the sessions and their fill, and record who came on the
    /// check-in page (names only, no contact details).
    CheckIn,
    /// A partner sees and checks in the bookings of its own activities.
    PartnerBookings,
    /// Bilans of projects, coverage, the season dashboard (HTML, PDF,
    /// XLSX, JSON API).
    ReadReports,
    /// Write the commentary and highlights of a bilan's sections.
    WriteReports,
    /// See one's tasks and meetings, and the plans and meetings of the
    /// projects one works on (admins and staff: all of them).
    ReadPlanning,
    /// See the whole team's tasks: the week view, the tasks API.
    ReadTeamPlanning,
    /// Apply rétroplanning templates to projects.
    ManagePlanning,
    /// Change the status of tasks (interns and volunteers: their own),
    /// take a task.
    EditTasks,
    /// Plan meetings, their attendees and agenda, write and send their
    /// minutes (interns: of the meetings they attend).
    ManageMeetings,
    /// Build forms, open and close calls, attach questionnaires.
    ManageForms,
    /// See submissions to calls and their uploads, comment, score, stage
    /// and send decisions.
    ReviewSubmissions,
    /// Read questionnaire results and export responses.
    ReadQuestionnaireResults,
}

use Role::{Admin, Intern, Partner, Staff, Volunteer};

/// Who may do what. Read it as a table: one line per action.
pub const TABLE: &[(Action, &[Role])] = &[
    (
        Action::OwnAccount,
        &[Admin, Staff, Intern, Volunteer, Partner],
    ),
    (Action::TeamSpace, &[Admin, Staff, Intern, Volunteer]),
    (Action::PartnerSpace, &[Admin, Partner]),
    (Action::ApiTokens, &[Admin, Staff]),
    (Action::ManageUsers, &[Admin]),
    (Action::ReadAudit, &[Admin]),
    (Action::ManageOutbox, &[Admin]),
    (Action::EditOwnOrganisation, &[Partner]),
    (Action::ReadDirectory, &[Admin, Staff, Intern, Volunteer]),
    (Action::ReadPeople, &[Admin, Staff, Intern]),
    (Action::EditDirectory, &[Admin, Staff, Intern]),
    (Action::ManageDirectory, &[Admin, Staff]),
    (Action::ReadProgramme, &[Admin, Staff, Intern, Volunteer]),
    (Action::EditProgramme, &[Admin, Staff, Intern]),
    (Action::ManageProgramme, &[Admin, Staff]),
    (Action::ReadBookings, &[Admin, Staff, Intern]),
    (Action::ManageBookings, &[Admin, Staff, Intern]),
    (Action::CheckIn, &[Admin, Staff, Intern, Volunteer]),
    (Action::PartnerBookings, &[Admin, Partner]),
    (Action::ReadReports, &[Admin, Staff, Intern]),
    (Action::WriteReports, &[Admin, Staff, Intern]),
    (Action::ReadPlanning, &[Admin, Staff, Intern, Volunteer]),
    (Action::ReadTeamPlanning, &[Admin, Staff]),
    (Action::ManagePlanning, &[Admin, Staff]),
    (Action::EditTasks, &[Admin, Staff, Intern, Volunteer]),
    (Action::ManageMeetings, &[Admin, Staff, Intern]),
    (Action::ManageForms, &[Admin, Staff]),
    (Action::ReviewSubmissions, &[Admin, Staff, Intern]),
    (
        Action::ReadQuestionnaireResults,
        &[Admin, Staff, Intern, Volunteer],
    ),
];

pub const ALL_ACTIONS: [Action; 29] = [
    Action::OwnAccount,
    Action::TeamSpace,
    Action::PartnerSpace,
    Action::ApiTokens,
    Action::ManageUsers,
    Action::ReadAudit,
    Action::ManageOutbox,
    Action::EditOwnOrganisation,
    Action::ReadDirectory,
    Action::ReadPeople,
    Action::EditDirectory,
    Action::ManageDirectory,
    Action::ReadProgramme,
    Action::EditProgramme,
    Action::ManageProgramme,
    Action::ReadBookings,
    Action::ManageBookings,
    Action::CheckIn,
    Action::PartnerBookings,
    Action::ReadReports,
    Action::WriteReports,
    Action::ReadPlanning,
    Action::ReadTeamPlanning,
    Action::ManagePlanning,
    Action::EditTasks,
    Action::ManageMeetings,
    Action::ManageForms,
    Action::ReviewSubmissions,
    Action::ReadQuestionnaireResults,
];

/// Whether `role` may perform `action`.
pub fn allows(role: Role, action: Action) -> bool {
    TABLE
        .iter()
        .find(|(a, _)| *a == action)
        .is_some_and(|(_, roles)| roles.contains(&role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_in_the_table_once() {
        for action in ALL_ACTIONS {
            assert_eq!(
                TABLE.iter().filter(|(a, _)| *a == action).count(),
                1,
                "{action:?}"
            );
        }
        assert_eq!(TABLE.len(), ALL_ACTIONS.len());
    }

    #[test]
    fn admin_can_do_almost_everything_and_partner_stays_out_of_team_space() {
        for action in ALL_ACTIONS {
            // A partner's own organisation is theirs; admins use the team space.
            if action != Action::EditOwnOrganisation {
                assert!(allows(Role::Admin, action), "{action:?}");
            }
        }
        assert!(!allows(Role::Partner, Action::TeamSpace));
        assert!(allows(Role::Partner, Action::PartnerSpace));
        assert!(!allows(Role::Intern, Action::ManageUsers));
        assert!(!allows(Role::Volunteer, Action::ApiTokens));
        assert!(allows(Role::Staff, Action::ApiTokens));
        // Forms: the team builds and reviews; partners answer, never review.
        assert!(allows(Role::Staff, Action::ManageForms));
        assert!(!allows(Role::Intern, Action::ManageForms));
        assert!(allows(Role::Intern, Action::ReviewSubmissions));
        assert!(!allows(Role::Volunteer, Action::ReviewSubmissions));
        // Least privilege: volunteers check people in, by name, and read
        // neither the contacts nor the attendee lists with their phones.
        assert!(allows(Role::Volunteer, Action::CheckIn));
        assert!(!allows(Role::Volunteer, Action::ReadPeople));
        assert!(!allows(Role::Volunteer, Action::ReadBookings));
        assert!(allows(Role::Intern, Action::ReadPeople));
        assert!(!allows(Role::Partner, Action::ReviewSubmissions));
        assert!(!allows(Role::Partner, Action::ReadQuestionnaireResults));
    }
}
