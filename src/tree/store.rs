//! Directory records in chunks of a fixed size: a tree of a million
//! directories grows without ever copying them all into a bigger array
//! (which would briefly need twice the memory).

use super::arena::{Arena, Place};
use super::{DirRecord, Node};

const CHUNK: usize = 4096;

#[derive(Clone, Debug, Default)]
pub(super) struct Store {
    chunks: Vec<Vec<DirRecord>>,
    /// One more than the highest node created.
    len: usize,
    /// The finished listings.
    arena: Arena,
}

impl Store {
    pub(super) fn get(&self, node: Node) -> Option<&DirRecord> {
        let node = node as usize;
        self.chunks
            .get(node / CHUNK)
            .map(|chunk| &chunk[node % CHUNK])
    }

    pub(super) fn get_mut(&mut self, node: Node) -> Option<&mut DirRecord> {
        let node = node as usize;
        self.chunks
            .get_mut(node / CHUNK)
            .map(|chunk| &mut chunk[node % CHUNK])
    }

    /// The record of `node`, made (unknown) if it is not there yet.
    pub(super) fn get_or_create(&mut self, node: Node) -> &mut DirRecord {
        let at = node as usize;
        while self.chunks.len() <= at / CHUNK {
            let mut chunk = Vec::with_capacity(CHUNK);
            chunk.resize_with(CHUNK, DirRecord::default);
            self.chunks.push(chunk);
        }
        self.len = self.len.max(at + 1);
        &mut self.chunks[at / CHUNK][at % CHUNK]
    }

    /// Keeps a finished listing; returns where it is.
    pub(super) fn keep_listing(&mut self, bytes: &[u8]) -> Place {
        self.arena.put(bytes)
    }

    /// `keep_listing` for a listing that was growing.
    pub(super) fn keep_grown(&mut self, bytes: Vec<u8>) -> Place {
        self.arena.put_owned(bytes)
    }

    pub(super) fn listing_mut(&mut self, place: Place) -> &mut [u8] {
        self.arena.get_mut(place)
    }

    pub(super) fn listing(&self, place: Place) -> &[u8] {
        self.arena.get(place)
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn heap_bytes(&self) -> usize {
        let records = self.chunks.len() * CHUNK * std::mem::size_of::<DirRecord>();
        records + self.arena.heap_bytes()
    }
}
