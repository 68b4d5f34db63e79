//! Finished listings, packed back to back in blocks of a mebibyte: a tree
//! of a hundred thousand small directories costs its bytes, not a hundred
//! thousand allocations with their headers. A listing too large for a block
//! gets an allocation of its own.

/// Bytes of a block.
const BLOCK: usize = 1 << 20;
/// Listings larger than this are not packed.
const PACKED_MAX: usize = BLOCK / 16;
/// `Place::block` of a listing with an allocation of its own.
const OWN: u32 = u32::MAX;

/// Where a listing's bytes are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Place {
    block: u32,
    offset: u32,
    len: u32,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Arena {
    full: Vec<Box<[u8]>>,
    /// The block being filled; its index is `full.len()`.
    current: Vec<u8>,
    own: Vec<Box<[u8]>>,
}

impl Arena {
    /// Keeps a listing that was growing: a large one as it is, without a
    /// copy.
    pub(super) fn put_owned(&mut self, bytes: Vec<u8>) -> Place {
        if bytes.len() <= PACKED_MAX {
            return self.put(&bytes);
        }
        let len = bytes.len() as u32;
        self.own.push(bytes.into_boxed_slice());
        Place {
            block: OWN,
            offset: (self.own.len() - 1) as u32,
            len,
        }
    }

    /// Keeps `bytes`; returns where.
    pub(super) fn put(&mut self, bytes: &[u8]) -> Place {
        let len = bytes.len() as u32;
        if bytes.is_empty() {
            return Place::default();
        }
        if bytes.len() > PACKED_MAX {
            self.own.push(Box::from(bytes));
            return Place {
                block: OWN,
                offset: (self.own.len() - 1) as u32,
                len,
            };
        }
        if self.current.len() + bytes.len() > BLOCK {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(BLOCK));
            self.full.push(full.into_boxed_slice());
        }
        if self.current.capacity() == 0 {
            self.current.reserve_exact(BLOCK);
        }
        let offset = self.current.len() as u32;
        self.current.extend_from_slice(bytes);
        Place {
            block: self.full.len() as u32,
            offset,
            len,
        }
    }

    pub(super) fn get(&self, place: Place) -> &[u8] {
        if place.len == 0 {
            return &[];
        }
        let block: &[u8] = match place.block {
            OWN => return self.own.get(place.offset as usize).map_or(&[], |b| b),
            b if b as usize == self.full.len() => &self.current,
            b => self.full.get(b as usize).map_or(&[], |b| b),
        };
        let start = place.offset as usize;
        block.get(start..start + place.len as usize).unwrap_or(&[])
    }

    /// The bytes of a listing, to mark an entry deleted in place.
    pub(super) fn get_mut(&mut self, place: Place) -> &mut [u8] {
        if place.len == 0 {
            return &mut [];
        }
        let current = self.full.len();
        let block: &mut [u8] = match place.block {
            OWN => {
                return self
                    .own
                    .get_mut(place.offset as usize)
                    .map_or(&mut [], |b| b);
            }
            b if b as usize == current => &mut self.current,
            b => self.full.get_mut(b as usize).map_or(&mut [], |b| b),
        };
        let start = place.offset as usize;
        block
            .get_mut(start..start + place.len as usize)
            .unwrap_or(&mut [])
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.full.iter().map(|b| b.len()).sum::<usize>()
            + self.current.capacity()
            + self.own.iter().map(|b| b.len()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_come_back_whatever_their_size() {
        let mut arena = Arena::default();
        let small: Vec<Vec<u8>> = (0..3_000u32).map(|i| vec![(i % 251) as u8; 500]).collect();
        let places: Vec<Place> = small.iter().map(|b| arena.put(b)).collect();
        let big = vec![7u8; PACKED_MAX + 1];
        let big_place = arena.put(&big);
        assert!(!arena.full.is_empty(), "3,000 × 500 bytes fill a block");
        for (bytes, place) in small.iter().zip(&places) {
            assert_eq!(arena.get(*place), &bytes[..]);
        }
        assert_eq!(arena.get(big_place), &big[..]);
        let empty = arena.put(&[]);
        assert_eq!(arena.get(empty), &[] as &[u8]);
        let grown = arena.put_owned(vec![9u8; PACKED_MAX * 2]);
        assert_eq!(arena.get(grown).len(), PACKED_MAX * 2);
    }
}
