//! Names and paths in the tree: a directory's path from its chain of
//! parents, and the directory or entry a path names.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use super::{JobTree, Node, ROOT};

impl JobTree {
    /// The name of `node` as its parent lists it (the root's full path
    /// for the root).
    pub fn name_of(&self, node: Node) -> Option<&[u8]> {
        if node == ROOT {
            return Some(self.root.as_os_str().as_bytes());
        }
        let dir = self.dir(node)?;
        let entry = self.entry(dir.parent()?, dir.slot()?)?;
        Some(entry.name)
    }

    /// The directories from the root down to `node`, both included.
    pub fn ancestry(&self, node: Node) -> Vec<Node> {
        let mut chain = vec![node];
        let mut at = node;
        while at != ROOT {
            match self.dir(at).and_then(|d| d.parent()) {
                Some(parent) => {
                    chain.push(parent);
                    at = parent;
                }
                None => break,
            }
        }
        chain.reverse();
        chain
    }

    /// The full path of `node`; `None` while its place is not known yet.
    pub fn path_of(&self, node: Node) -> Option<PathBuf> {
        let mut path = self.root.to_path_buf();
        for &n in self.ancestry(node).iter().skip(1) {
            path.push(OsStr::from_bytes(self.name_of(n)?));
        }
        Some(path)
    }

    /// The offset of the entry named `name` in `node`'s listing.
    pub fn find_in(&self, node: Node, name: &[u8]) -> Option<u32> {
        self.entries(node)
            .find(|(_, e)| e.name == name)
            .map(|(offset, _)| offset)
    }

    /// Where `path` is in the tree: the directory holding it and its offset
    /// there (`None` for the root itself, or a path outside the tree or not
    /// in it).
    pub fn locate(&self, path: &Path) -> Option<(Node, u32)> {
        let below = path.strip_prefix(&*self.root).ok()?;
        let mut dir = ROOT;
        let mut found = None;
        for component in below.components() {
            let Component::Normal(name) = component else {
                return None;
            };
            if let Some((parent, offset)) = found {
                let entry = self.entry(parent, offset)?;
                if !entry.entered() {
                    return None;
                }
                dir = entry.node;
            }
            found = Some((dir, self.find_in(dir, name.as_bytes())?));
        }
        found
    }
}
