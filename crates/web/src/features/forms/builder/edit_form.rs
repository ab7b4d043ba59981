//! The forms of the builder as one generic view: groups of inputs with
//! their values, hints and messages, drawn by the `edit_form` macro of
//! `templates/forms/builder/edit_form.html`.

use crate::forms::{Choice, FormErrors};

/// One input of a builder form.
pub struct Input {
    /// The element id (`{prefix}-{name}`), the target of the error summary.
    pub id: String,
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: String,
    /// text, number, textarea, select, checkbox, checkboxes.
    pub widget: &'static str,
    pub choices: Vec<Choice>,
    pub checked: bool,
    pub required: bool,
}

impl Input {
    /// With a hint below its label.
    pub(super) fn hint(mut self, hint: &str) -> Input {
        self.hint = hint.to_owned();
        self
    }

    /// Marked required.
    pub(super) fn required(mut self) -> Input {
        self.required = true;
        self
    }
}

/// A fieldset of inputs (or loose inputs when without legend).
pub struct Group {
    pub legend: Option<&'static str>,
    pub hint: &'static str,
    pub inputs: Vec<Input>,
}

impl Group {
    /// Inputs without a fieldset.
    pub(super) fn loose(inputs: Vec<Input>) -> Group {
        Group {
            legend: None,
            hint: "",
            inputs,
        }
    }

    /// A fieldset with its legend and hint.
    pub(super) fn set(legend: &'static str, hint: &'static str, inputs: Vec<Input>) -> Group {
        Group {
            legend: Some(legend),
            hint,
            inputs,
        }
    }
}

/// A whole builder form.
pub struct EditForm {
    pub prefix: &'static str,
    pub action: String,
    pub heading: &'static str,
    pub hidden: Vec<(&'static str, String)>,
    pub groups: Vec<Group>,
    pub submit: &'static str,
    /// A second submit button (name, value, label), e.g. to refresh lists.
    pub secondary: Option<(&'static str, &'static str, &'static str)>,
    /// (element id, message) for the error summary.
    pub errors: Vec<(String, String)>,
    pub general: Option<String>,
}

/// Where a builder form goes and what it is called.
pub(super) struct Spec {
    pub prefix: &'static str,
    pub action: String,
    pub heading: &'static str,
    pub submit: &'static str,
    pub hidden: Vec<(&'static str, String)>,
}

/// Makes the inputs of a form (ids from its prefix, each with its
/// message) and the form itself.
pub(super) struct Fb<'a> {
    pub prefix: &'static str,
    pub errors: &'a FormErrors,
}

impl Fb<'_> {
    /// An input of type `widget` (`text`, `date`, `time`…), with what was
    /// typed.
    pub(super) fn input(
        &self,
        name: &'static str,
        label: &'static str,
        widget: &'static str,
        value: &str,
    ) -> Input {
        Input {
            id: format!("{}-{name}", self.prefix),
            name,
            label,
            value: value.to_owned(),
            error: self.errors.get(name).map(str::to_owned),
            hint: String::new(),
            widget,
            choices: Vec::new(),
            checked: false,
            required: false,
        }
    }

    /// A line of text, with what was typed.
    pub(super) fn text(&self, name: &'static str, label: &'static str, value: &str) -> Input {
        self.input(name, label, "text", value)
    }

    /// A text of several lines.
    pub(super) fn textarea(&self, name: &'static str, label: &'static str, value: &str) -> Input {
        self.input(name, label, "textarea", value)
    }

    /// A check box.
    pub(super) fn check(&self, name: &'static str, label: &'static str, checked: bool) -> Input {
        let mut i = self.input(name, label, "checkbox", "");
        i.checked = checked;
        i
    }

    /// A list to choose one of.
    pub(super) fn select(
        &self,
        name: &'static str,
        label: &'static str,
        choices: Vec<Choice>,
    ) -> Input {
        let mut i = self.input(name, label, "select", "");
        i.choices = choices;
        i
    }

    /// Check boxes, several of which may be ticked.
    pub(super) fn checkboxes(
        &self,
        name: &'static str,
        label: &'static str,
        choices: Vec<Choice>,
    ) -> Input {
        let mut i = self.input(name, label, "checkboxes", "");
        i.choices = choices;
        i
    }

    pub(super) fn form(&self, spec: Spec, groups: Vec<Group>) -> EditForm {
        EditForm {
            prefix: self.prefix,
            action: spec.action,
            heading: spec.heading,
            hidden: spec.hidden,
            errors: self
                .errors
                .fields()
                .iter()
                .map(|(f, m)| (format!("{}-{f}", self.prefix), m.clone()))
                .collect(),
            general: self.errors.general.clone(),
            groups,
            submit: spec.submit,
            secondary: None,
        }
    }
}

/// Choices with `selected` the one whose value is `current`.
pub(super) fn choices(
    all: impl IntoIterator<Item = (String, String)>,
    current: &str,
) -> Vec<Choice> {
    all.into_iter()
        .map(|(v, l)| {
            let sel = v == current;
            Choice::new(v, l, sel)
        })
        .collect()
}
