//! The store on its own: schema steps, recording and reading back.
