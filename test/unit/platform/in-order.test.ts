import { InOrder } from '../../../shared/platform/in-order.js';

describe('InOrder', () => {
  it('releases work in position order, each as soon as all before it are in', () => {
    const order = new InOrder();
    const done: number[] = [];
    order.add(2, () => done.push(2));
    order.add(1, () => done.push(1));
    expect(done).toEqual([]); // 0 has not come yet
    order.add(0, () => done.push(0));
    expect(done).toEqual([0, 1, 2]);
    order.add(3, () => done.push(3));
    expect(done).toEqual([0, 1, 2, 3]);
  });
});
