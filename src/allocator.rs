//! The binary's allocator: size-class pools in pre-faulted chunks for the
//! blocks tfgen allocates, the system allocator for the rest.
//!
//! tfgen runs as a short process on every editor save, pre-commit hook and
//! CI job, and what it does there (build a stack of small values, render it,
//! drop it) is mostly allocating and freeing small blocks: about ten
//! thousand of each for `tfgen render --env prod`, where glibc's `malloc`
//! and `free` were a third of every instruction the process ran (callgrind,
//! bench/RESULTS.md). A block of at most [`MAX_POOLED`] bytes is taken here
//! from a free list of its size class (16-byte steps) or carved from a
//! chunk, and freed onto that list again, in a few instructions. Freed
//! blocks are reused, never returned to the system: memory is what the
//! process holds at its peak, which stays flat when `render --all` builds
//! and drops one environment after another.
//!
//! On Linux a chunk is mapped with `MAP_POPULATE`: its pages are made
//! present by one system call instead of one page fault each as they are
//! first touched. On the virtual machines CI runs on a page fault costs
//! microseconds (2.4 µs each measured on this project's machines, see
//! bench/RESULTS.md), and a process as short as tfgen's pays for every one.
//!
//! The pools are per thread (tfgen runs on one), so no lock is taken.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;

/// The largest block served from the pools; larger ones go to the system.
/// (Pooling larger blocks too, in power-of-two classes up to 32 KiB, made
/// `check` of 2,000 environments hold 23 MiB instead of 14: a freed large
/// block serves only its own class, where glibc reuses it for any size.)
pub const MAX_POOLED: usize = 1024;
/// The size step between classes, and the alignment of every pooled block.
const STEP: usize = 16;
const CLASSES: usize = MAX_POOLED / STEP;
/// What the pools take from the system at a time.
const CHUNK: usize = 256 * 1024;

/// The allocator. Its pools are per thread, so taking and giving a block
/// needs no lock (an atomic compare-and-swap per allocation was a few
/// percent of `render`); a block freed by another thread than the one that
/// took it joins the freeing thread's pool, and a thread that ends leaves
/// its pools unused (tfgen runs on one thread).
pub struct Pools;

struct State {
    /// The head of each class's list of free blocks; a free block holds the
    /// address of the next one.
    free: [*mut u8; CLASSES],
    /// The unused rest of the current chunk.
    next: *mut u8,
    end: *mut u8,
}

thread_local! {
    // A constant initialiser and no destructor: reaching it never
    // allocates, and it is there while other thread-locals are destroyed.
    static STATE: UnsafeCell<State> = const {
        UnsafeCell::new(State {
            free: [ptr::null_mut(); CLASSES],
            next: ptr::null_mut(),
            end: ptr::null_mut(),
        })
    };
}

impl Pools {
    pub const fn new() -> Pools {
        Pools
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        // SAFETY: the state is this thread's, and `f` (take or give) neither
        // allocates nor calls back here, so this is the only reference.
        STATE.with(|state| f(unsafe { &mut *state.get() }))
    }
}

impl Default for Pools {
    fn default() -> Self {
        Pools::new()
    }
}

/// The class of a block of `layout`, or `None` when the system serves it.
fn class(layout: &Layout) -> Option<usize> {
    (layout.size() <= MAX_POOLED && layout.align() <= STEP)
        .then(|| layout.size().max(1).div_ceil(STEP) - 1)
}

/// The size of a block of class `class`.
fn class_size(class: usize) -> usize {
    (class + 1) * STEP
}

/// A new chunk, its pages present, or null.
#[cfg(target_os = "linux")]
fn new_chunk() -> *mut u8 {
    // SAFETY: an anonymous private mapping touches no existing memory.
    let chunk = unsafe {
        libc::mmap(
            ptr::null_mut(),
            CHUNK,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_POPULATE,
            -1,
            0,
        )
    };
    if chunk == libc::MAP_FAILED {
        ptr::null_mut()
    } else {
        chunk.cast()
    }
}

#[cfg(not(target_os = "linux"))]
fn chunk_layout() -> Layout {
    Layout::from_size_align(CHUNK, STEP).expect("a valid chunk layout")
}

#[cfg(not(target_os = "linux"))]
fn new_chunk() -> *mut u8 {
    // SAFETY: the chunk layout has a non-zero size.
    unsafe { System.alloc(chunk_layout()) }
}

impl State {
    /// A block of class `class`: a freed one, or a new one from the chunk.
    ///
    /// SAFETY: `self` is the calling thread's state.
    unsafe fn take(&mut self, class: usize) -> *mut u8 {
        let head = self.free[class];
        if !head.is_null() {
            // SAFETY: a free block holds the address of the next free one.
            self.free[class] = unsafe { head.cast::<*mut u8>().read() };
            return head;
        }
        let size = class_size(class);
        if (self.end as usize) - (self.next as usize) < size {
            let chunk = new_chunk();
            if chunk.is_null() {
                return ptr::null_mut();
            }
            // SAFETY: both are inside (or one past) the chunk.
            self.next = chunk;
            self.end = unsafe { chunk.add(CHUNK) };
        }
        let block = self.next;
        // SAFETY: `size` fits in what is left of the chunk.
        self.next = unsafe { block.add(size) };
        block
    }

    /// Puts a block back on its class's free list.
    ///
    /// SAFETY: `self` is the calling thread's state; `block` came from
    /// `take(class)` of a pool.
    unsafe fn give(&mut self, class: usize, block: *mut u8) {
        // SAFETY: every block is at least one step long and aligned.
        unsafe { block.cast::<*mut u8>().write(self.free[class]) };
        self.free[class] = block;
    }
}

// SAFETY: every pooled block is STEP-aligned and at least as large as its
// layout; the system allocator serves every other layout, and `dealloc` and
// `realloc` tell the two apart by the layout they are given, as `alloc`
// did.
unsafe impl GlobalAlloc for Pools {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class(&layout) {
            // SAFETY: `with_state` hands over this thread's state.
            Some(class) => self.with_state(|state| unsafe { state.take(class) }),
            // SAFETY: the caller's layout has a non-zero size.
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match class(&layout) {
            // SAFETY: `block` was allocated with `layout`, so from this class.
            Some(class) => self.with_state(|state| unsafe { state.give(class, block) }),
            // SAFETY: the system allocated it with this layout.
            None => unsafe { System.dealloc(block, layout) },
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` makes a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class(&layout), class(&new_layout)) {
            // Still fits its block.
            (Some(old), Some(new)) if old == new => block,
            // SAFETY: the system allocated it, and serves the new size too.
            (None, None) => unsafe { System.realloc(block, layout, new_size) },
            _ => {
                // SAFETY: as `alloc`, `dealloc`; the copy is within both
                // blocks.
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    unsafe {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn classes_are_sixteen_byte_steps_up_to_the_pooled_maximum() {
        assert_eq!(class(&layout(1, 1)), Some(0));
        assert_eq!(class(&layout(16, 8)), Some(0));
        assert_eq!(class(&layout(17, 8)), Some(1));
        assert_eq!(class(&layout(MAX_POOLED, 16)), Some(CLASSES - 1));
        assert_eq!(class(&layout(MAX_POOLED + 1, 8)), None);
        assert_eq!(class(&layout(64, 32)), None, "over-aligned: the system's");
        // Every size fits the block of its class, and not that of the class
        // below.
        for size in 1..=MAX_POOLED {
            let class = class(&layout(size, 8)).unwrap();
            assert!(size <= class_size(class), "{size}");
            assert!(class == 0 || size > class_size(class - 1), "{size}");
        }
    }

    #[test]
    fn blocks_are_aligned_distinct_and_reused_after_free() {
        let pools = Pools::new();
        unsafe {
            let a = pools.alloc(layout(24, 8));
            let b = pools.alloc(layout(24, 8));
            assert!(!a.is_null() && !b.is_null() && a != b);
            assert_eq!(a as usize % STEP, 0);
            assert!((b as usize).abs_diff(a as usize) >= 32, "blocks overlap");
            a.write_bytes(0xaa, 24);
            b.write_bytes(0xbb, 24);
            assert_eq!(*a.add(23), 0xaa);
            pools.dealloc(a, layout(24, 8));
            // The same class takes the freed block back first.
            assert_eq!(pools.alloc(layout(30, 8)), a);
            assert_eq!(*b.add(23), 0xbb, "freeing a did not touch b");
        }
    }

    #[test]
    fn a_chunk_runs_out_into_the_next_one() {
        let pools = Pools::new();
        let size = MAX_POOLED;
        let blocks: Vec<usize> = (0..3 * CHUNK / size)
            .map(|index| unsafe {
                let block = pools.alloc(layout(size, 8));
                assert!(!block.is_null());
                block.write_bytes(index as u8, size);
                block as usize
            })
            .collect();
        let mut sorted = blocks.clone();
        sorted.sort_unstable();
        assert!(sorted.windows(2).all(|pair| pair[1] - pair[0] >= size));
        for (index, block) in blocks.iter().enumerate() {
            let block = *block as *const u8;
            unsafe {
                assert_eq!(*block, index as u8);
                assert_eq!(*block.add(size - 1), index as u8);
            }
        }
    }

    #[test]
    fn realloc_keeps_contents_across_classes_and_to_the_system() {
        let pools = Pools::new();
        unsafe {
            let mut block = pools.alloc(layout(8, 8));
            for index in 0..8 {
                *block.add(index) = index as u8;
            }
            // Same class: the block itself.
            assert_eq!(pools.realloc(block, layout(8, 8), 16), block);
            let mut size = 16;
            for new_size in [100, 1000, 5000, 20_000, 100_000, 50, 3] {
                block = pools.realloc(block, layout(size, 8), new_size);
                assert!(!block.is_null());
                for index in 0..8.min(new_size) {
                    assert_eq!(*block.add(index), index as u8, "at size {new_size}");
                }
                size = new_size;
            }
            pools.dealloc(block, layout(size, 8));
        }
    }

    #[test]
    fn large_and_over_aligned_blocks_come_from_the_system() {
        let pools = Pools::new();
        unsafe {
            let big = pools.alloc(layout(MAX_POOLED + 1, 8));
            let aligned = pools.alloc(layout(64, 64));
            assert_eq!(aligned as usize % 64, 0);
            big.write_bytes(1, MAX_POOLED + 1);
            pools.dealloc(big, layout(MAX_POOLED + 1, 8));
            pools.dealloc(aligned, layout(64, 64));
        }
    }
}
