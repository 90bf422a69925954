//! Cycles of direct references (a struct holding itself, through other structs or union
//! variants, without a collection in between): the field or variant that closes each cycle is
//! boxed, so every type has a finite size.

use super::Builder;
use crate::model::{Ty, TypeKind};

impl Builder<'_> {
    /// Boxes struct fields and union variants that close a cycle of direct references.
    pub(super) fn box_recursive_fields(&mut self) {
        let edges: Vec<Vec<(usize, usize)>> = self
            .types
            .iter()
            .map(|t| {
                let slots: Vec<&Ty> = match &t.kind {
                    TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                    TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                    _ => Vec::new(),
                };
                slots
                    .into_iter()
                    .enumerate()
                    .filter_map(|(slot, ty)| {
                        let target = direct_reference(ty)?;
                        self.type_index.get(target).map(|&ti| (slot, ti))
                    })
                    .collect()
            })
            .collect();
        for (node, slot) in back_edges(&edges) {
            match &mut self.types[node].kind {
                TypeKind::Struct(s) => boxed(&mut s.fields[slot].ty),
                TypeKind::Union(u) => boxed(&mut u.variants[slot].ty),
                _ => {}
            }
        }
    }
}

/// The named type a field holds directly (itself or in an `Option`), not through a collection.
fn direct_reference(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n) => Some(n),
        Ty::Option(t) => match t.as_ref() {
            Ty::Named(n) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// `T` becomes `Box<T>`, `Option<T>` becomes `Option<Box<T>>`.
fn boxed(ty: &mut Ty) {
    let inner = std::mem::replace(ty, Ty::Value);
    *ty = match inner {
        Ty::Option(t) => Ty::Option(Box::new(Ty::Boxed(t))),
        t => Ty::Boxed(Box::new(t)),
    };
}

/// The edges `(node, slot)` that close a cycle, found by an iterative depth-first search: an
/// edge to a node on the stack is a back edge.
fn back_edges(edges: &[Vec<(usize, usize)>]) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let mut state = vec![State::New; edges.len()];
    let mut found = Vec::new();
    for start in 0..edges.len() {
        if state[start] != State::New {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = State::OnStack;
        while let Some((node, next)) = stack.pop() {
            let Some(&(slot, target)) = edges[node].get(next) else {
                state[node] = State::Done;
                continue;
            };
            stack.push((node, next + 1));
            match state[target] {
                State::New => {
                    state[target] = State::OnStack;
                    stack.push((target, 0));
                }
                State::OnStack => found.push((node, slot)),
                State::Done => {}
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::back_edges;

    #[test]
    fn a_self_reference_and_a_longer_cycle_each_get_one_back_edge() {
        // 0 -> 0 (slot 0); 1 -> 2 (slot 0), 2 -> 1 (slot 1); 3 -> 1 (slot 0) closes nothing.
        let edges = vec![vec![(0, 0)], vec![(0, 2)], vec![(1, 1)], vec![(0, 1)]];
        assert_eq!(back_edges(&edges), vec![(0, 0), (2, 1)]);
    }
}
