//! Refuses the passwords attackers try first. zxcvbn estimates how many guesses a password
//! takes using lists of common passwords, names and words plus keyboard and date patterns;
//! anything crackable within about a million guesses is refused.

use zxcvbn::{Score, zxcvbn};

/// `Err` with a message for the client when `password` is too easy to guess, considering
/// also the account's own details (`context`), such as its email and name.
pub fn check(password: &str, context: &[&str]) -> Result<(), String> {
    let estimate = zxcvbn(password, context);
    if estimate.score() < Score::Two {
        return Err("is too common or easy to guess; use a longer passphrase".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn the_most_common_passwords_are_refused() {
        for pw in
            ["password", "password1", "12345678", "qwertyuiop", "iloveyou", "11111111", "abcd1234"]
        {
            assert!(check(pw, &[]).is_err(), "{pw} should be refused");
        }
    }

    #[test]
    fn passphrases_are_accepted_and_own_details_count_against() {
        assert!(check("correct horse battery", &[]).is_ok());
        assert!(check("tangerine-bicycle-42", &[]).is_ok());
        assert!(check("acmecorp2024", &["acmecorp"]).is_err());
    }
}
