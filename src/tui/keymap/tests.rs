//! The keymap's own rules: precedence, reachability, no clashes.

use super::*;

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn a_context_s_own_keys_come_before_the_screen_keys() {
    assert_eq!(
        command(Context::Dashboard, &press(KeyCode::Char('q'))),
        Some(Command::Quit)
    );
    assert_eq!(
        command(Context::Detail, &press(KeyCode::Esc)),
        Some(Command::Back)
    );
    // In the prompt, q is text.
    assert_eq!(command(Context::Prompt, &press(KeyCode::Char('q'))), None);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(command(Context::Prompt, &ctrl_c), Some(Command::Quit));
    assert_eq!(command(Context::Dashboard, &ctrl_c), Some(Command::Quit));
    assert_eq!(command(Context::Stopping, &press(KeyCode::Char('a'))), None);
}

#[test]
fn every_context_can_quit_and_every_screen_has_help() {
    for context in [
        Context::Dashboard,
        Context::Browser,
        Context::Detail,
        Context::Errors,
        Context::Help,
        Context::Prompt,
        Context::Stopping,
    ] {
        let commands: Vec<Command> = bindings(context).map(|b| b.command).collect();
        assert!(commands.contains(&Command::Quit), "{context:?}");
        if context.has_screen_keys() {
            assert!(commands.contains(&Command::Help), "{context:?}");
        }
    }
}

#[test]
fn no_key_means_two_things_in_one_context() {
    for (i, a) in KEYMAP.iter().enumerate() {
        for b in &KEYMAP[i + 1..] {
            let overlap = a.context == b.context
                || (a.context.has_screen_keys() && b.context == Context::Screens)
                || (b.context.has_screen_keys() && a.context == Context::Screens);
            if overlap {
                for key in a.keys {
                    assert!(
                        !b.keys.contains(key),
                        "{key:?} is {:?} and {:?} in {:?}",
                        a.command,
                        b.command,
                        a.context
                    );
                }
            }
        }
    }
}

#[test]
fn every_key_has_a_name() {
    for b in KEYMAP {
        for key in b.keys {
            assert!(key.name() != "?" || *key == Key::Char('?'), "{b:?}");
        }
    }
}

#[test]
fn rows_that_say_the_same_are_merged() {
    let rows = help_rows(bindings(Context::Dashboard));
    let select = rows
        .iter()
        .find(|(_, help)| *help == "select a job")
        .unwrap();
    assert_eq!(names(&select.0), "↑ k ↓ j");
    assert_eq!(
        rows.iter()
            .filter(|(_, help)| *help == "select a job")
            .count(),
        1
    );
}
