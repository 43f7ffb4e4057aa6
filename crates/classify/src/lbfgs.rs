//! Limited-memory BFGS with a backtracking (Armijo) line search, over `f32` parameters.
//!
//! Written here rather than taken from a crate: the models have up to a few million
//! parameters, and the maintained optimisers (argmin with its `Vec<f64>` or ndarray
//! backends, linfa-logistic on dense matrices) would double the memory in `f64`, allocate
//! per operation, or need the sparse design densified. This one keeps `memory` pairs of
//! `f32` vectors, accumulates dot products in `f64`, and is deterministic.

use std::collections::VecDeque;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Correction pairs kept.
    pub memory: usize,
    pub max_iterations: usize,
    /// Stop when the largest gradient component is below this.
    pub gradient_tolerance: f64,
    /// Stop when an iteration lowers the loss by less than this share of it.
    pub relative_tolerance: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self { memory: 8, max_iterations: 300, gradient_tolerance: 1e-5, relative_tolerance: 1e-7 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub iterations: usize,
    pub evaluations: usize,
    pub loss: f64,
    pub converged: bool,
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum()
}

fn max_abs(a: &[f32]) -> f64 {
    a.iter().fold(0.0f64, |m, x| m.max(f64::from(x.abs())))
}

/// Minimises `f` from `x` (updated in place). `f(x, grad)` returns the loss and writes the
/// gradient.
pub fn minimize<F>(x: &mut [f32], options: Options, mut f: F) -> Outcome
where
    F: FnMut(&[f32], &mut [f32]) -> f64,
{
    let n = x.len();
    let mut g = vec![0.0f32; n];
    let mut fx = f(x, &mut g);
    let mut evaluations = 1;
    let mut pairs: VecDeque<(Vec<f32>, Vec<f32>, f64)> = VecDeque::new();
    let mut d = vec![0.0f32; n];
    let mut x_new = vec![0.0f32; n];
    let mut g_new = vec![0.0f32; n];
    let mut alpha = vec![0.0f64; options.memory];
    for iteration in 0..options.max_iterations {
        if max_abs(&g) <= options.gradient_tolerance {
            return Outcome { iterations: iteration, evaluations, loss: fx, converged: true };
        }
        direction(&g, &pairs, &mut alpha, &mut d);
        let mut slope = dot(&d, &g);
        if slope >= 0.0 {
            // Not a descent direction (curvature information went stale): start afresh.
            pairs.clear();
            d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g);
            slope = dot(&d, &g);
        }
        // Without curvature information the first step is scaled to unit length.
        let mut step = if pairs.is_empty() { (1.0 / dot(&g, &g).sqrt()).min(1.0) } else { 1.0 };
        let mut accepted = false;
        for _ in 0..40 {
            for ((xn, xi), di) in x_new.iter_mut().zip(x.iter()).zip(&d) {
                *xn = xi + (step as f32) * di;
            }
            let f_new = f(&x_new, &mut g_new);
            evaluations += 1;
            if f_new.is_finite() && f_new <= fx + 1e-4 * step * slope {
                let decrease = fx - f_new;
                let mut s = vec![0.0f32; n];
                let mut y = vec![0.0f32; n];
                for i in 0..n {
                    s[i] = x_new[i] - x[i];
                    y[i] = g_new[i] - g[i];
                }
                let sy = dot(&s, &y);
                if sy > 1e-12 {
                    if pairs.len() == options.memory {
                        pairs.pop_front();
                    }
                    pairs.push_back((s, y, 1.0 / sy));
                }
                x.copy_from_slice(&x_new);
                g.copy_from_slice(&g_new);
                let scale = fx.abs().max(f_new.abs()).max(1.0);
                fx = f_new;
                accepted = true;
                if decrease / scale < options.relative_tolerance {
                    return Outcome {
                        iterations: iteration + 1,
                        evaluations,
                        loss: fx,
                        converged: true,
                    };
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            // No step along the direction lowers the loss: as close as f32 can get.
            return Outcome { iterations: iteration + 1, evaluations, loss: fx, converged: true };
        }
    }
    Outcome { iterations: options.max_iterations, evaluations, loss: fx, converged: false }
}

/// The two-loop recursion: `d = -H g` with the stored pairs.
fn direction(
    g: &[f32],
    pairs: &VecDeque<(Vec<f32>, Vec<f32>, f64)>,
    alpha: &mut [f64],
    d: &mut [f32],
) {
    d.iter_mut().zip(g).for_each(|(d, g)| *d = -g);
    for (k, (s, y, rho)) in pairs.iter().enumerate().rev() {
        let a = rho * dot(s, d);
        alpha[k] = a;
        d.iter_mut().zip(y).for_each(|(d, y)| *d -= (a as f32) * y);
    }
    if let Some((s, y, _)) = pairs.back() {
        let gamma = dot(s, y) / dot(y, y);
        d.iter_mut().for_each(|d| *d *= gamma as f32);
    }
    for (k, (s, y, rho)) in pairs.iter().enumerate() {
        let b = rho * dot(y, d);
        d.iter_mut().zip(s).for_each(|(d, s)| *d += ((alpha[k] - b) as f32) * s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_the_rosenbrock_valley() {
        let mut x = vec![-1.2f32, 1.0];
        let out =
            minimize(&mut x, Options { max_iterations: 500, ..Options::default() }, |x, g| {
                let (a, b) = (f64::from(x[0]), f64::from(x[1]));
                g[0] = (-2.0 * (1.0 - a) - 400.0 * a * (b - a * a)) as f32;
                g[1] = (200.0 * (b - a * a)) as f32;
                (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
            });
        assert!(out.converged, "{out:?}");
        assert!((x[0] - 1.0).abs() < 1e-2 && (x[1] - 1.0).abs() < 2e-2, "{x:?}");
    }

    #[test]
    fn solves_a_badly_scaled_quadratic_in_few_iterations() {
        let scales: Vec<f32> = (0..50).map(|i| 1.0 + i as f32 * 20.0).collect();
        let mut x = vec![1.0f32; 50];
        let options = Options { relative_tolerance: 1e-12, ..Options::default() };
        let out = minimize(&mut x, options, |x, g| {
            let mut f = 0.0;
            for i in 0..x.len() {
                g[i] = scales[i] * (x[i] - 3.0);
                f += 0.5 * f64::from(scales[i]) * f64::from(x[i] - 3.0).powi(2);
            }
            f
        });
        assert!(out.iterations < 150, "{out:?}");
        assert!(x.iter().all(|v| (v - 3.0).abs() < 1e-3), "{x:?}");
    }
}
