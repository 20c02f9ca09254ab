//! Steps in an order where every step comes after those it waits for; a
//! cycle is an error that names the steps on it.

use std::collections::HashMap;

use super::Step;

/// Sorts steps so each comes after the steps it waits for; on a cycle,
/// returns the ids on it (first id repeated at the end).
pub fn order_steps(steps: &mut Vec<Step>) -> Result<(), Vec<String>> {
    let index: HashMap<String, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    fn visit(
        node: usize,
        steps: &[Step],
        index: &HashMap<String, usize>,
        state: &mut [u8],
        order: &mut Vec<usize>,
        stack: &mut Vec<usize>,
    ) -> Result<(), Vec<String>> {
        match state.get(node).copied() {
            Some(2) | None => return Ok(()),
            Some(1) => {
                let start = stack.iter().position(|&n| n == node).unwrap_or(0);
                let mut cycle: Vec<String> = stack
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&n| steps.get(n).map(|s| s.id.clone()))
                    .collect();
                if let Some(first) = cycle.first().cloned() {
                    cycle.push(first);
                }
                return Err(cycle);
            }
            _ => {}
        }
        if let Some(slot) = state.get_mut(node) {
            *slot = 1;
        }
        stack.push(node);
        if let Some(step) = steps.get(node) {
            for after in &step.after {
                if let Some(&previous) = index.get(after) {
                    visit(previous, steps, index, state, order, stack)?;
                }
            }
        }
        stack.pop();
        if let Some(slot) = state.get_mut(node) {
            *slot = 2;
        }
        order.push(node);
        Ok(())
    }
    let mut stack = Vec::new();
    for node in 0..steps.len() {
        visit(node, steps, &index, &mut state, &mut order, &mut stack)?;
    }
    let mut taken: Vec<Option<Step>> = std::mem::take(steps).into_iter().map(Some).collect();
    for node in order {
        if let Some(step) = taken.get_mut(node).and_then(Option::take) {
            steps.push(step);
        }
    }
    Ok(())
}
