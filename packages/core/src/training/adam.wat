;; One Adam step over float32 arrays in this module's memory, 4 lanes at a time (wasm SIMD):
;;   m = b1·m + (1−b1)·g;  v = b2·v + (1−b2)·g²;  p −= (lr·c1)·m / (sqrt(c2·v) + ε)
;; with c1 = 1/(1−b1^t), c2 = 1/(1−b2^t) computed by the caller. p, g, m, v are byte offsets of
;; arrays of n floats; n must be a multiple of 4 (callers pad with zeros, which stay zero).
(module
  (memory (export "memory") 1)
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $lr f32) (param $c2 f32) (param $eps f32)
    (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $B1 v128) (local $B2 v128) (local $G1 v128) (local $G2 v128)
    (local $LR v128) (local $C2 v128) (local $EPS v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $G1 (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $G2 (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
    (local.set $LR (f32x4.splat (local.get $lr)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $gi (v128.load (local.get $g)))
        (local.set $mi
          (f32x4.add (f32x4.mul (local.get $B1) (v128.load (local.get $m)))
                     (f32x4.mul (local.get $G1) (local.get $gi))))
        (local.set $vi
          (f32x4.add (f32x4.mul (local.get $B2) (v128.load (local.get $v)))
                     (f32x4.mul (local.get $G2) (f32x4.mul (local.get $gi) (local.get $gi)))))
        (v128.store (local.get $m) (local.get $mi))
        (v128.store (local.get $v) (local.get $vi))
        (v128.store (local.get $p)
          (f32x4.sub (v128.load (local.get $p))
            (f32x4.div (f32x4.mul (local.get $LR) (local.get $mi))
                       (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $C2) (local.get $vi))) (local.get $EPS)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $next)))))
