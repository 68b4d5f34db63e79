//! ncdu's JSON export read as a stream: `[major, minor, {metadata}, [root
//! info, entry, ...]]`, a directory an array whose first element is its
//! info, a leaf an object. Each entry goes to the `Builder` as it is read,
//! so a file costs the tree's memory and nothing more. Names are read as
//! the raw bytes of their strings: ncdu writes names that are not UTF-8 as
//! they are.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::build::{Builder, DirCtx, Info};

/// The major version of the format this reads.
pub(super) const MAJOR: u64 = 1;

/// The whole document.
pub(super) struct Document<'a> {
    pub builder: &'a mut Builder,
    /// Called every so many entries, with the count so far.
    pub progress: &'a mut dyn FnMut(u64),
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ncdu JSON export: [1, 2, {...}, [...]]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let major: u64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("an empty array, not an export"))?;
        if major != MAJOR {
            return Err(de::Error::custom(format!(
                "format version {major}: this dirdash reads version {MAJOR} (ncdu's JSON export)"
            )));
        }
        // Minor versions only add fields, which are skipped.
        let _minor: u64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("no minor version"))?;
        let _metadata: IgnoredAny = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("no metadata"))?;
        let found = seq.next_element_seed(DirSeed {
            builder: self.builder,
            parent: None,
            progress: self.progress,
        })?;
        if found.is_none() {
            return Err(de::Error::custom("no directory tree in the export"));
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// A directory: its info, then its entries.
struct DirSeed<'a, 'p> {
    builder: &'a mut Builder,
    /// `None` for the root.
    parent: Option<&'p mut DirCtx>,
    progress: &'a mut dyn FnMut(u64),
}

impl<'de> DeserializeSeed<'de> for DirSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for DirSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a directory: [{info}, entries...]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let b = self.builder;
        let info = seq
            .next_element_seed(InfoSeed { name: &mut b.name })?
            .ok_or_else(|| de::Error::custom("a directory without its info"))?;
        let mut dir = match self.parent {
            None => b.root(&info),
            // An excluded directory (another filesystem...): a leaf.
            Some(parent) if info.excluded.is_some() => {
                b.leaf(parent, &info);
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            Some(parent) => match b.refuses_a_dir() {
                Some(why) => return Err(de::Error::custom(why)),
                None => b.enter(parent, &info),
            },
        };
        while seq
            .next_element_seed(EntrySeed {
                builder: b,
                dir: &mut dir,
                progress: self.progress,
            })?
            .is_some()
        {}
        b.leave(dir);
        Ok(())
    }
}

/// One entry of a directory: a leaf (an object) or a directory (an array).
struct EntrySeed<'a, 'p> {
    builder: &'a mut Builder,
    dir: &'p mut DirCtx,
    progress: &'a mut dyn FnMut(u64),
}

/// How often progress is reported.
const PROGRESS_EVERY: u64 = 1 << 16;

impl<'de> DeserializeSeed<'de> for EntrySeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an entry: {info} or a directory [{info}, ...]")
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<(), M::Error> {
        let b = self.builder;
        let info = read_info(map, &mut b.name)?;
        b.leaf(self.dir, &info);
        if b.entries.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(b.entries);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        DirSeed {
            builder: self.builder,
            parent: Some(self.dir),
            progress: self.progress,
        }
        .visit_seq(seq)
    }
}

/// An info object, its name into the shared buffer.
struct InfoSeed<'a> {
    name: &'a mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for InfoSeed<'_> {
    type Value = Info;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Info, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for InfoSeed<'_> {
    type Value = Info;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an entry's info: {\"name\": ...}")
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Info, M::Error> {
        read_info(map, self.name)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Name,
    Asize,
    Dsize,
    Dev,
    Ino,
    Hlnkc,
    Nlink,
    ReadError,
    Excluded,
    Notreg,
    Mode,
    Mtime,
    #[serde(other)]
    Other,
}

fn read_info<'de, M: MapAccess<'de>>(mut map: M, name: &mut Vec<u8>) -> Result<Info, M::Error> {
    let mut info = Info::default();
    let mut named = false;
    while let Some(field) = map.next_key::<Field>()? {
        match field {
            Field::Name => {
                map.next_value_seed(NameSeed(name))?;
                named = true;
            }
            Field::Asize => info.asize = map.next_value()?,
            Field::Dsize => info.dsize = map.next_value()?,
            Field::Dev => info.dev = Some(map.next_value()?),
            Field::Ino => info.ino = Some(map.next_value()?),
            Field::Hlnkc => info.hlnkc = map.next_value()?,
            Field::Nlink => info.nlink = Some(map.next_value()?),
            Field::ReadError => info.read_error = map.next_value()?,
            Field::Excluded => info.excluded = Some(map.next_value()?),
            Field::Notreg => info.notreg = map.next_value()?,
            Field::Mode => info.mode = Some(map.next_value()?),
            Field::Mtime => info.mtime = Some(map.next_value()?),
            Field::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    if !named {
        return Err(de::Error::missing_field("name"));
    }
    Ok(info)
}

/// A string's raw bytes into the buffer (not checked to be UTF-8).
struct NameSeed<'a>(&'a mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for NameSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_bytes(self)
    }
}

impl<'de> Visitor<'de> for NameSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<(), E> {
        self.0.clear();
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.visit_bytes(text.as_bytes())
    }
}
