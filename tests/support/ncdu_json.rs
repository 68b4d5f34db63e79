//! A reader for ncdu's JSON export files, for the tests: like JSON, except
//! that strings are bytes (ncdu writes names that are not UTF-8 raw, which
//! strict JSON parsers refuse).

#![allow(dead_code)]

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(Vec<u8>),
    Array(Vec<Value>),
    Object(Vec<(Vec<u8>, Value)>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == key.as_bytes())
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn u64(&self, key: &str) -> u64 {
        match self.get(key) {
            Some(Value::Number(n)) => *n as u64,
            _ => 0,
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some(Value::Bool(true)))
    }

    pub fn name(&self) -> &[u8] {
        match self.get("name") {
            Some(Value::Str(s)) => s,
            _ => panic!("an item without a name: {self:?}"),
        }
    }
}

pub fn parse(input: &[u8]) -> Result<Value, String> {
    let mut p = Parser { input, at: 0 };
    let value = p.value()?;
    p.space();
    if p.at != input.len() {
        return Err(format!("trailing bytes at {}", p.at));
    }
    Ok(value)
}

struct Parser<'a> {
    input: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while self.at < self.input.len()
            && matches!(self.input[self.at], b' ' | b'\n' | b'\r' | b'\t')
        {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Result<u8, String> {
        self.space();
        self.input
            .get(self.at)
            .copied()
            .ok_or_else(|| "unexpected end".to_owned())
    }

    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.peek()? != b {
            return Err(format!("expected {:?} at {}", b as char, self.at));
        }
        self.at += 1;
        Ok(())
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek()? {
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Ok(Value::Array(items));
                        }
                        c => return Err(format!("unexpected {:?} at {}", c as char, self.at)),
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut fields = Vec::new();
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Ok(Value::Object(fields));
                }
                loop {
                    let Value::Str(key) = self.string()? else {
                        unreachable!()
                    };
                    self.expect(b':')?;
                    fields.push((key, self.value()?));
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Ok(Value::Object(fields));
                        }
                        c => return Err(format!("unexpected {:?} at {}", c as char, self.at)),
                    }
                }
            }
            b'"' => self.string(),
            b't' => self.word(b"true", Value::Bool(true)),
            b'f' => self.word(b"false", Value::Bool(false)),
            b'n' => self.word(b"null", Value::Null),
            _ => {
                let start = self.at;
                while self.at < self.input.len()
                    && matches!(
                        self.input[self.at],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.at += 1;
                }
                std::str::from_utf8(&self.input[start..self.at])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .map(Value::Number)
                    .ok_or_else(|| format!("bad value at {start}"))
            }
        }
    }

    fn word(&mut self, word: &[u8], value: Value) -> Result<Value, String> {
        if self.input[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(format!("bad literal at {}", self.at))
        }
    }

    fn string(&mut self) -> Result<Value, String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let b = *self.input.get(self.at).ok_or("unterminated string")?;
            self.at += 1;
            match b {
                b'"' => return Ok(Value::Str(out)),
                b'\\' => {
                    let e = *self.input.get(self.at).ok_or("unterminated escape")?;
                    self.at += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hex = std::str::from_utf8(&self.input[self.at..self.at + 4])
                                .map_err(|e| e.to_string())?;
                            let code = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                            self.at += 4;
                            let c = char::from_u32(code).ok_or("surrogate escape")?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => return Err(format!("bad escape at {}", self.at)),
                    }
                }
                0..=0x1f => return Err(format!("raw control byte at {}", self.at)),
                _ => out.push(b),
            }
        }
    }
}

/// One item of an export, by its path below the root.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub dir: bool,
    pub info: Value,
}

/// Every item below the root, keyed by its path relative to the root
/// (components joined with `/`), and the root's info.
pub fn items(doc: &Value) -> (Value, BTreeMap<Vec<u8>, Item>) {
    let Value::Array(top) = doc else {
        panic!("not an array")
    };
    assert_eq!(top[0], Value::Number(1.0), "major version");
    let Value::Array(root) = &top[3] else {
        panic!("the root is not a directory")
    };
    let mut out = BTreeMap::new();
    let mut stack: Vec<(Vec<u8>, &[Value])> = vec![(Vec::new(), &root[1..])];
    while let Some((prefix, children)) = stack.pop() {
        for child in children {
            let (info, dir, grandchildren): (&Value, bool, &[Value]) = match child {
                Value::Array(items) => (&items[0], true, &items[1..]),
                info => (info, false, &[]),
            };
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(info.name());
            if dir {
                stack.push((path.clone(), grandchildren));
            }
            assert!(
                out.insert(
                    path,
                    Item {
                        dir,
                        info: info.clone()
                    }
                )
                .is_none(),
                "a path twice"
            );
        }
    }
    (root[0].clone(), out)
}
